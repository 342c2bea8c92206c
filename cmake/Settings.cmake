# Two INTERFACE targets every target of ours links: one for warnings, one for
# the remaining compile settings (sanitizers). Nothing is set globally, so a
# third-party header never gets our -Werror.
add_library(leadrouter_warnings INTERFACE)
target_compile_options(leadrouter_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
    -Wimplicit-fallthrough)
if(LEADROUTER_WERROR)
    target_compile_options(leadrouter_warnings INTERFACE -Werror)
endif()

add_library(leadrouter_settings INTERFACE)
if(LEADROUTER_FUZZ)
    # Every library the fuzz target links is instrumented for coverage.
    target_compile_options(leadrouter_settings INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    target_link_options(leadrouter_settings INTERFACE -fsanitize=address,undefined)
endif()
if(LEADROUTER_SANITIZE)
    target_compile_options(leadrouter_settings INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(leadrouter_settings INTERFACE -fsanitize=address,undefined)
endif()
