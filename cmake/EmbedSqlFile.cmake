file(READ "${IN}" content)
file(WRITE "${OUT}" "#include <string_view>\nnamespace lr::store::sql {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"leadrouter_sql(${content})leadrouter_sql\";\n}\n")
