# Runs one command and checks how it ended: the CLI tests' only tool.
#
#   cmake [-DSTDIN=file] -DEXIT=n [-DSTDOUT=text | -DSTDOUT_FILE=file | -DSTDOUT_RE=regex]
#         [-DSTDERR=text | -DSTDERR_RE=regex] -P expect.cmake -- COMMAND [ARG...]
#
# STDOUT/STDERR are exact (-DSTDOUT= with nothing after it requires no output at all),
# the _RE forms are CMake regular expressions (`.` matches newlines too) that must match
# somewhere, so anchor them with ^ and $ to match the whole output. The command comes after
# `--` so that arguments can hold anything (brackets, spaces, newlines): it is rebuilt with
# bracket quoting and run through cmake_language(EVAL), never split as a CMake list, since
# an unbalanced `[` in a Brainfuck argument would otherwise glue list items together.
cmake_minimum_required(VERSION 3.25)

set(cmd "")
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 0 ${last})
  set(arg "${CMAKE_ARGV${i}}")
  if(after_dashes)
    string(APPEND cmd " [==[${arg}]==]")
  elseif(arg STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
if(cmd STREQUAL "")
  message(FATAL_ERROR "expect.cmake: no command after --")
endif()
if(NOT DEFINED EXIT)
  message(FATAL_ERROR "expect.cmake: EXIT is required")
endif()

set(input "")
if(DEFINED STDIN)
  set(input "INPUT_FILE [==[${STDIN}]==]")
endif()
cmake_language(EVAL CODE "
  execute_process(COMMAND ${cmd} ${input}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)")

set(problems "")
if(NOT status STREQUAL EXIT)
  string(APPEND problems "exit status is '${status}', expected ${EXIT}\n")
endif()
if(DEFINED STDOUT_FILE)
  file(READ "${STDOUT_FILE}" STDOUT)
endif()
if(DEFINED STDOUT AND NOT out STREQUAL STDOUT)
  string(APPEND problems "stdout differs from the expected text:\n---- expected\n${STDOUT}\n----\n")
endif()
if(DEFINED STDOUT_RE AND NOT out MATCHES "${STDOUT_RE}")
  string(APPEND problems "stdout does not match: ${STDOUT_RE}\n")
endif()
if(DEFINED STDERR AND NOT err STREQUAL STDERR)
  string(APPEND problems "stderr differs from the expected text:\n---- expected\n${STDERR}\n----\n")
endif()
if(DEFINED STDERR_RE AND NOT err MATCHES "${STDERR_RE}")
  string(APPEND problems "stderr does not match: ${STDERR_RE}\n")
endif()

if(NOT problems STREQUAL "")
  string(LENGTH "${out}" out_len)
  message(FATAL_ERROR "command:${cmd}\n${problems}"
                      "---- stdout (${out_len} bytes)\n${out}\n---- stderr\n${err}\n----")
endif()
