# embed_sql(OUT_VAR file...): turns each SQL file into a C++ source that
# defines `extern const std::string_view <name>_sql`, so migrations ship
# inside the binaries and are still readable as plain SQL in the tree.
function(embed_sql out_var)
    set(generated)
    foreach(sql_file IN LISTS ARGN)
        get_filename_component(stem "${sql_file}" NAME_WE)
        string(MAKE_C_IDENTIFIER "migration_${stem}" symbol)
        set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp")
        add_custom_command(
            OUTPUT "${out}"
            COMMAND ${CMAKE_COMMAND} -DIN=${sql_file} -DOUT=${out} -DSYMBOL=${symbol}
                    -P "${PROJECT_SOURCE_DIR}/cmake/EmbedSqlFile.cmake"
            DEPENDS "${sql_file}" "${PROJECT_SOURCE_DIR}/cmake/EmbedSqlFile.cmake"
            VERBATIM)
        list(APPEND generated "${out}")
    endforeach()
    set(${out_var} ${generated} PARENT_SCOPE)
endfunction()
