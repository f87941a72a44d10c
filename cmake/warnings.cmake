# INTERFACE targets every clausematch target links: warnings (errors when CLAUSEMATCH_WERROR is on,
# as in the debug-asan preset) and sanitizers.
add_library(clausematch_warnings INTERFACE)
target_compile_options(clausematch_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${CLAUSEMATCH_WERROR}>:-Werror>)

add_library(clausematch_sanitizers INTERFACE)
if(CLAUSEMATCH_SANITIZE)
  target_compile_options(clausematch_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(clausematch_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(CLAUSEMATCH_TSAN)
  target_compile_options(clausematch_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(clausematch_sanitizers INTERFACE -fsanitize=thread)
endif()

add_library(clausematch_options INTERFACE)
target_link_libraries(clausematch_options INTERFACE clausematch_warnings clausematch_sanitizers)
