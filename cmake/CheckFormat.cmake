# Fails when any C++ source would be changed by clang-format.
file(GLOB_RECURSE sources
    ${SOURCE_DIR}/common/*.cpp ${SOURCE_DIR}/common/*.hpp
    ${SOURCE_DIR}/milter/*.cpp ${SOURCE_DIR}/milter/*.hpp
    ${SOURCE_DIR}/daemon/*.cpp ${SOURCE_DIR}/daemon/*.hpp
    ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.hpp)
set(unformatted "")
foreach(file IN LISTS sources)
    execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror ${file}
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT rc EQUAL 0)
        list(APPEND unformatted ${file})
    endif()
endforeach()
if(unformatted)
    list(JOIN unformatted "\n  " listing)
    message(FATAL_ERROR "not formatted with clang-format (run clang-format -i):\n  ${listing}")
endif()
list(LENGTH sources count)
message(STATUS "${count} sources formatted")
