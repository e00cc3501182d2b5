# $1 is 0 on removal and 1 on upgrade; stopping leaves running containers' networking in place.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
    systemctl stop junction.service >/dev/null 2>&1 || :
    systemctl disable junction.service >/dev/null 2>&1 || :
fi
