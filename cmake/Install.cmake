# What `cmake --install` puts where (GNUInstallDirs; the Debian packages in
# debian/ install the same tree).
set(LEADROUTER_SYSTEMD_UNIT_DIR "lib/systemd/system"
    CACHE STRING "Where the systemd units go (relative: under the prefix)")
set(LEADROUTER_TMPFILES_DIR "lib/tmpfiles.d"
    CACHE STRING "Where the tmpfiles.d rule goes (relative: under the prefix)")
set(LEADROUTER_SYSUSERS_DIR "lib/sysusers.d"
    CACHE STRING "Where the sysusers.d rule goes; empty: none (the Debian package uses adduser)")
# Written at install time, so that `cmake --install --prefix P` names P's
# binaries: /usr/local/sbin/leadd for /usr/local, /usr/sbin/leadd and
# /etc/leadrouter for /usr (GNUInstallDirs puts /usr's etc at /etc).
install(CODE "
    set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
    set(sbin \"${CMAKE_INSTALL_SBINDIR}\")
    if(NOT IS_ABSOLUTE \"\${sbin}\")
        set(sbin \"\${prefix}/\${sbin}\")
    endif()
    set(etc \"${CMAKE_INSTALL_SYSCONFDIR}\")
    if(NOT IS_ABSOLUTE \"\${etc}\")
        if(prefix STREQUAL \"/usr\")
            set(etc \"/etc\")
        else()
            set(etc \"\${prefix}/\${etc}\")
        endif()
    endif()
    set(unit_dir \"${LEADROUTER_SYSTEMD_UNIT_DIR}\")
    if(NOT IS_ABSOLUTE \"\${unit_dir}\")
        set(unit_dir \"\${prefix}/\${unit_dir}\")
    endif()
    foreach(unit leadd.service leadmilter.service leadweb.service)
        file(READ \"${PROJECT_SOURCE_DIR}/systemd/\${unit}\" text)
        string(REPLACE \"/usr/sbin/\" \"\${sbin}/\" text \"\${text}\")
        string(REPLACE \"/etc/leadrouter/\" \"\${etc}/leadrouter/\" text \"\${text}\")
        message(STATUS \"Installing: \$ENV{DESTDIR}\${unit_dir}/\${unit}\")
        file(WRITE \"\$ENV{DESTDIR}\${unit_dir}/\${unit}\" \"\${text}\")
    endforeach()
    set(leadrouter_etc \"\$ENV{DESTDIR}\${etc}/leadrouter\")
    # The commented example as the configuration, unless there already is
    # one: an install over a running system never overwrites the file.
    file(MAKE_DIRECTORY \"\${leadrouter_etc}/dealers.d\")
    if(EXISTS \"\${leadrouter_etc}/leadrouter.yaml\")
        message(STATUS \"Kept: \${leadrouter_etc}/leadrouter.yaml\")
    else()
        message(STATUS \"Installing: \${leadrouter_etc}/leadrouter.yaml\")
        file(COPY_FILE \"${PROJECT_SOURCE_DIR}/conf/leadrouter.yaml\"
             \"\${leadrouter_etc}/leadrouter.yaml\")
    endif()")
foreach(name leadrouter leadmilter)
    install(FILES systemd/${name}.tmpfiles.conf DESTINATION ${LEADROUTER_TMPFILES_DIR}
            RENAME ${name}.conf)
endforeach()
if(LEADROUTER_SYSUSERS_DIR)
    install(FILES systemd/leadrouter.sysusers.conf DESTINATION ${LEADROUTER_SYSUSERS_DIR}
            RENAME leadrouter.conf)
endif()

install(FILES man/leadmilter.8 man/leadd.8 man/leadweb.8 man/leadctl.8 DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES man/leadrouter.yaml.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)

install(FILES conf/dealers.d/mueller.yaml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/dealers.d)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
