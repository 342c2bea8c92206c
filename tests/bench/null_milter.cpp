// The benchmark's baseline milter: registers every callback, negotiates
// nothing away, accepts everything. What any milter costs Postfix before
// it does any work.
#include <cstdio>
#include <libmilter/mfapi.h>
#include <string>
#include <sys/stat.h>

namespace {

sfsistat cont(SMFICTX*) {
    return SMFIS_CONTINUE;
}
sfsistat on_connect(SMFICTX*, char*, _SOCK_ADDR*) {
    return SMFIS_CONTINUE;
}
sfsistat on_text(SMFICTX*, char*) {
    return SMFIS_CONTINUE;
}
sfsistat on_unknown(SMFICTX*, const char*) {
    return SMFIS_CONTINUE;
}
sfsistat on_args(SMFICTX*, char**) {
    return SMFIS_CONTINUE;
}
sfsistat on_header(SMFICTX*, char*, char*) {
    return SMFIS_CONTINUE;
}
sfsistat on_body(SMFICTX*, unsigned char*, size_t) {
    return SMFIS_CONTINUE;
}
sfsistat on_eom(SMFICTX*) {
    return SMFIS_ACCEPT;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: null_milter SOCKET\n");
        return 2;
    }
    smfiDesc description = {};
    description.xxfi_name = const_cast<char*>("null");
    description.xxfi_version = SMFI_VERSION;
    description.xxfi_connect = on_connect;
    description.xxfi_helo = on_text;
    description.xxfi_envfrom = on_args;
    description.xxfi_envrcpt = on_args;
    description.xxfi_header = on_header;
    description.xxfi_eoh = cont;
    description.xxfi_body = on_body;
    description.xxfi_eom = on_eom;
    description.xxfi_abort = cont;
    description.xxfi_close = cont;
    description.xxfi_unknown = on_unknown;
    description.xxfi_data = cont;
    if (smfi_register(description) != MI_SUCCESS || smfi_setconn(argv[1]) != MI_SUCCESS ||
        smfi_setbacklog(256) != MI_SUCCESS || smfi_opensocket(true) != MI_SUCCESS)
        return 1;
    // A unix socket smtpd (user postfix) may write to, as leadmilter's.
    std::string spec = argv[1];
    if (spec.rfind("unix:", 0) == 0)
        chmod(spec.substr(5).c_str(), 0666);
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
