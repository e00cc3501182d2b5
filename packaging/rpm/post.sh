getent group junction >/dev/null || groupadd --system junction
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    if [ "$1" -eq 1 ]; then
        systemctl enable junction.service >/dev/null 2>&1 || :
    else
        systemctl try-restart junction.service >/dev/null 2>&1 || :
    fi
fi
