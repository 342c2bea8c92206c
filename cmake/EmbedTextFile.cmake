# -DIN=file -DOUT=file.cpp -DSYMBOL=name: OUT defines
# `extern const std::string_view lr::embedded::<name>` with IN's bytes, as
# an array (a string literal may not pass 64 KiB with clang).
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUT}" "#include <string_view>\nnamespace lr::embedded {\nnamespace {\nconst unsigned char ${SYMBOL}_bytes[] = {${bytes}};\n}\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}(reinterpret_cast<const char*>(${SYMBOL}_bytes), sizeof ${SYMBOL}_bytes);\n}\n")
