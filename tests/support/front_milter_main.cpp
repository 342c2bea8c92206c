// A stand-in for OpenDKIM/OpenDMARC in end-to-end tests: a milter that
// inserts one Authentication-Results header at the top of every message,
// as they do (smfi_insheader at index 0), before leadmilter sees it.
//   test_front_milter SOCKET "authserv-id; dmarc=pass header.from=..."
#include <cstdio>
#include <libmilter/mfapi.h>
#include <string>

namespace {

std::string g_value;

sfsistat on_eom(SMFICTX* ctx) {
    smfi_insheader(ctx, 0, const_cast<char*>("Authentication-Results"),
                   const_cast<char*>(g_value.c_str()));
    return SMFIS_CONTINUE;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SOCKET HEADER-VALUE\n", argv[0]);
        return 2;
    }
    g_value = argv[2];
    static smfiDesc description = {};
    description.xxfi_name = const_cast<char*>("test-front-milter");
    description.xxfi_version = SMFI_VERSION;
    description.xxfi_flags = SMFIF_ADDHDRS;
    description.xxfi_eom = on_eom;
    if (smfi_register(description) != MI_SUCCESS || smfi_setconn(argv[1]) != MI_SUCCESS ||
        smfi_opensocket(true) != MI_SUCCESS) {
        std::fprintf(stderr, "test_front_milter: cannot listen on %s\n", argv[1]);
        return 1;
    }
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
