#!/usr/bin/env bash
# Starts or stops a throw-away Orthanc (Debian orthanc + orthanc-dicomweb + orthanc-gdcm) for tests
# and benchmarks: loopback-only use (RemoteAccessAllowed false), HTTP basic authentication on,
# test-only ports, storage in a temporary folder that `stop` deletes.
#
#   scripts/orthanc-test.sh start    # prints ORTHANC_URL=… ORTHANC_DICOMWEB=… lines for `eval`
#   scripts/orthanc-test.sh stop
#
# Settings (environment): ORTHANC_DIR (default /tmp/openbct-orthanc), ORTHANC_HTTP_PORT (18042),
# ORTHANC_DICOM_PORT (14242), ORTHANC_AET (ORTHANC), ORTHANC_USER (openbct), ORTHANC_PASSWORD
# (random unless set), ORTHANC_FORWARD_URL (optional: every received instance is forwarded to this
# STOW-RS URL by the Lua script scripts/orthanc/forward-to-stow.lua — the DIMSE front end),
# ORTHANC_FORWARD_USER / ORTHANC_FORWARD_PASSWORD (basic auth for that URL).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${ORTHANC_DIR:-/tmp/openbct-orthanc}"
http_port="${ORTHANC_HTTP_PORT:-18042}"
dicom_port="${ORTHANC_DICOM_PORT:-14242}"
aet="${ORTHANC_AET:-ORTHANC}"
user="${ORTHANC_USER:-openbct}"
plugins=/usr/share/orthanc/plugins

start() {
  command -v Orthanc >/dev/null || { echo "error: Orthanc is not installed (apt-get install orthanc orthanc-dicomweb orthanc-gdcm)" >&2; exit 2; }
  [ -e "$plugins/libOrthancDicomWeb.so" ] || { echo "error: $plugins/libOrthancDicomWeb.so missing (apt-get install orthanc-dicomweb)" >&2; exit 2; }
  if [ -f "$dir/orthanc.pid" ] && kill -0 "$(cat "$dir/orthanc.pid")" 2>/dev/null; then
    echo "error: an Orthanc from $dir is already running (pid $(cat "$dir/orthanc.pid"))" >&2; exit 1
  fi
  local password="${ORTHANC_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}"
  mkdir -p "$dir/storage" "$dir/index"
  local gdcm="" lua=""
  [ -e "$plugins/libOrthancGdcm.so" ] && gdcm=", \"$plugins/libOrthancGdcm.so\""
  if [ -n "${ORTHANC_FORWARD_URL:-}" ]; then
    # The Lua script reads its target from this generated file (Lua has no access to the environment
    # of the test that started Orthanc).
    cat > "$dir/forward-target.lua" <<LUA
FORWARD_URL = "${ORTHANC_FORWARD_URL}"
FORWARD_USER = "${ORTHANC_FORWARD_USER:-}"
FORWARD_PASSWORD = "${ORTHANC_FORWARD_PASSWORD:-}"
LUA
    lua="\"$dir/forward-target.lua\", \"$here/orthanc/forward-to-stow.lua\""
  fi
  cat > "$dir/orthanc.json" <<JSON
{
  "Name": "OpenBCT test PACS",
  "StorageDirectory": "$dir/storage",
  "IndexDirectory": "$dir/index",
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "DicomAet": "$aet",
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": true,
  "RegisteredUsers": { "$user": "$password" },
  "DicomCheckCalledAet": false,
  "DicomAlwaysAllowStore": true,
  "HttpThreadsCount": 50,
  "HttpTimeout": 60,
  "StableAge": 2,
  "Plugins": [ "$plugins/libOrthancDicomWeb.so"$gdcm ],
  "LuaScripts": [ $lua ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "Host": "127.0.0.1:$http_port", "Ssl": false }
}
JSON
  chmod 600 "$dir/orthanc.json"
  # Orthanc's output goes to a log file and it inherits no other descriptor of the caller: a
  # process that waits for this script (Foundation's Process watches a pipe) must see it finish.
  (
    for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    # A caller may have blocked signals (Swift test processes do; children inherit the mask), and
    # then Orthanc would ignore SIGTERM: clear the mask on the way in (bash cannot).
    exec python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])' \
      Orthanc "$dir/orthanc.json" >"$dir/orthanc.log" 2>&1 </dev/null
  ) &
  echo $! > "$dir/orthanc.pid"
  for _ in $(seq 1 100); do
    if curl -fsS -u "$user:$password" "http://127.0.0.1:$http_port/system" >/dev/null 2>&1; then
      echo "ORTHANC_URL=http://127.0.0.1:$http_port"
      echo "ORTHANC_DICOMWEB=http://127.0.0.1:$http_port/dicom-web"
      echo "ORTHANC_USER=$user"
      echo "ORTHANC_PASSWORD=$password"
      echo "ORTHANC_DICOM_PORT=$dicom_port"
      echo "ORTHANC_AET=$aet"
      return 0
    fi
    kill -0 "$(cat "$dir/orthanc.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "error: Orthanc did not answer on port $http_port; its log:" >&2
  tail -20 "$dir/orthanc.log" >&2
  stop >/dev/null 2>&1 || true
  exit 1
}

stop() {
  if [ -f "$dir/orthanc.pid" ]; then
    local pid; pid="$(cat "$dir/orthanc.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
