# In-tree build of the divert module: contrib/divert of an ns-3 source tree
# of the CMake era (ns-3.36 and later), declared with ns-3's own build_lib.
# Included from the top-level CMakeLists.txt, which defines the source lists.

set(_divert_libs)
foreach(_m ${divert_ns3_libraries})
  list(APPEND _divert_libs ${lib${_m}})
endforeach()
set(_divert_program_libs)
foreach(_m ${divert_ns3_program_libraries})
  list(APPEND _divert_program_libs ${lib${_m}})
endforeach()

build_lib(
  LIBNAME divert
  SOURCE_FILES ${divert_model_sources} ${divert_helper_sources}
  HEADER_FILES ${divert_headers}
  LIBRARIES_TO_LINK ${_divert_libs}
)

# build_lib_example reads BLIB_LIBNAME to link the module library.
set(BLIB_LIBNAME divert)
if(${ENABLE_EXAMPLES})
  foreach(_ex ${divert_examples} ${divert_benchmarks})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/examples/${_ex}.cc)
      set(_src examples/${_ex}.cc)
    else()
      set(_src bench/${_ex}.cc)
    endif()
    build_lib_example(
      NAME ${_ex}
      SOURCE_FILES ${_src}
      LIBRARIES_TO_LINK ${_divert_program_libs}
    )
  endforeach()
endif()

# Distributed examples need ns-3's mpi module: NS3_MPI=ON, MPI found
# (ENABLE_MPI) and mpi among the enabled modules. Otherwise they are skipped.
if(${ENABLE_EXAMPLES}
   AND ENABLE_MPI
   AND ("mpi" IN_LIST ns3-all-enabled-modules)
)
  foreach(_ex ${divert_mpi_examples})
    build_lib_example(
      NAME ${_ex}
      SOURCE_FILES examples/${_ex}.cc
      LIBRARIES_TO_LINK ${libmpi} ${_divert_program_libs}
    )
  endforeach()
elseif(${ENABLE_EXAMPLES})
  message(STATUS "divert: ns-3 mpi module not enabled, ${divert_mpi_examples} not built")
endif()

# The module's tests are Boost.Test executables run by CTest (one copy of
# each test, shared with the standalone build). ns-3's own test-runner does
# not know them; run `ctest` in <build>/contrib/divert.
option(DIVERT_ENABLE_TESTS "Build the divert test suites" ON)
find_package(Boost QUIET COMPONENTS unit_test_framework)
if(DIVERT_ENABLE_TESTS AND Boost_FOUND)
  enable_testing()
  add_library(divert-test-support STATIC ${divert_test_support})
  target_include_directories(divert-test-support PUBLIC ${CMAKE_OUTPUT_DIRECTORY}/include)
  target_link_libraries(
    divert-test-support PUBLIC ${libdivert} ${_divert_program_libs} Boost::unit_test_framework
  )
  target_compile_definitions(divert-test-support PUBLIC BOOST_TEST_DYN_LINK)
  foreach(_suite ${divert_test_suites})
    add_executable(${_suite} test/${_suite}.cc)
    target_link_libraries(${_suite} PRIVATE divert-test-support)
    set_target_properties(${_suite} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                               ${CMAKE_CURRENT_BINARY_DIR})
    add_test(NAME ${_suite} COMMAND ${_suite} --report_level=short)
    set_tests_properties(${_suite} PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endforeach()
elseif(DIVERT_ENABLE_TESTS)
  message(STATUS "divert: Boost.Test not found, module tests not built")
endif()
