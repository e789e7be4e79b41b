# One INTERFACE target carries the sanitizer flags; every target links it PRIVATE.
add_library(taeval_sanitizers INTERFACE)
if(TAEVAL_SANITIZE)
  set(_taeval_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(taeval_sanitizers INTERFACE ${_taeval_san})
  target_link_options(taeval_sanitizers INTERFACE ${_taeval_san})
endif()

# taeval_add_library(NAME DIR DEPS...): one static library of every .cpp in DIR
# (recursively), headers beside sources, included from the repository root.
function(taeval_add_library name dir)
  file(GLOB_RECURSE _sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  add_library(${name} STATIC ${_sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARGN} PRIVATE taeval_warnings taeval_sanitizers)
endfunction()
