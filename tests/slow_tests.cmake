# Run by CTest after it has read the discovered doctest tests (see tests/CMakeLists.txt):
# the long tests, found by name, get the label `slow` and a COST, rough seconds of CPU in
# the slower of the release and asan runs, so that `ctest -j` starts the longest first and
# the short ones fill in around them. A renamed test only loses its label and its place.
set(_jitbf_slow_tests
  "^e2e: corpus core-tier" 25
  "^a 10 MB program" 25
  "^emitted C runs the corpus" 25
  "^emitted C runs the bundled" 15
  "^emitted C agrees with the interpreter on random" 15
  "^e2e: corpus conformance" 10
  "^scans whose tape ends within their first chunks" 10
  "^scans towards an end of the tape" 10
  "^scans stop at the first zero" 5
  "^random programs agree" 5
  "^the stepper agrees with the main interpreter" 10
  "^e2e: corpus programs agree" 3
  "^e2e: bundled programs agree" 15)
foreach(test IN LISTS jitbf_tests_TESTS)
  set(rest ${_jitbf_slow_tests})
  while(rest)
    list(POP_FRONT rest pattern cost)
    if(test MATCHES "${pattern}")
      set_tests_properties("${test}" PROPERTIES LABELS slow COST ${cost})
      break()
    endif()
  endwhile()
endforeach()
