# -DIN=file -DOUT=file.cpp -DSYMBOL=name: OUT defines
# `extern const std::string_view lr::embedded::<name>` with IN's bytes.
file(READ "${IN}" content)
file(WRITE "${OUT}" "#include <string_view>\nnamespace lr::embedded {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"leadrouter_text(${content})leadrouter_text\";\n}\n")
