# One INTERFACE target carries the warning flags; every target links it PRIVATE.
add_library(taeval_warnings INTERFACE)
target_compile_options(taeval_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
  # GCC 12 reports false positives inside Boost.Graph and Eigen at -O2.
  -Wno-maybe-uninitialized)
if(TAEVAL_WERROR)
  target_compile_options(taeval_warnings INTERFACE -Werror)
endif()
