# Checks that README.md shows tests/consumer/main.cpp, the embedding example the consumer
# test builds, unchanged: cmake -DREADME=file -DEXAMPLE=file -P readme.cmake
file(READ "${README}" readme)
file(READ "${EXAMPLE}" example)
string(FIND "${readme}" "```cpp\n${example}```" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md does not show ${EXAMPLE} as a ```cpp block, unchanged")
endif()
