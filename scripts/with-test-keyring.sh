#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked, throwaway GNOME keyring, so the
# tests use a real OS keychain (the Secret Service) without touching the user's own keyring.
# Elsewhere (macOS, Windows, or no gnome-keyring-daemon) it runs the command as it is.
set -uo pipefail
if [ "$(uname -s)" != "Linux" ] || ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null; then
  echo "with-test-keyring: no gnome-keyring-daemon/dbus-run-session here; tests use this machine's own keychain (if any)." >&2
  exec "$@"
fi
if [ -z "${SLUICE_TEST_KEYRING:-}" ]; then
  exec dbus-run-session -- env SLUICE_TEST_KEYRING=1 bash "$0" "$@" 2> >(grep -v 'Failed to set fd limit' >&2)
fi
keyring_home=$(mktemp -d -t sluice-keyring-XXXXXX)
export XDG_DATA_HOME="$keyring_home"
# Its control directory too ($XDG_RUNTIME_DIR/keyring): shared, a second run's --unlock took over the
# first run's daemon, and the first run's keychain calls then failed ("no result found").
mkdir -m 700 "$keyring_home/runtime"
export XDG_RUNTIME_DIR="$keyring_home/runtime"
before=$(pgrep -x gnome-keyring-d | sort)
# --unlock reads the new keyring's password from stdin and creates the default (login) collection.
eval "$(printf 'sluice-throwaway' | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"
ours=$(comm -13 <(echo "$before") <(pgrep -x gnome-keyring-d | sort))
# Wait until that daemon owns the Secret Service name and its unlocked collection is the default. A
# client asking earlier (a loaded machine) makes D-Bus start another daemon from its service file, one
# with no unlocked collection: every keychain call of the run then fails with "no result found".
bus() { dbus-send --session --print-reply --reply-timeout=2000 "$@" 2>/dev/null; }
keyring_ready() {
  bus --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q 'boolean true' &&
    bus --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default | grep -q 'object path "/org/'
}
if ! command -v dbus-send >/dev/null; then
  echo "with-test-keyring: no dbus-send to ask with; not waiting for the throwaway keyring." >&2
else
  deadline=$((SECONDS + 10))
  until keyring_ready; do
    if [ $SECONDS -ge $deadline ]; then
      echo "with-test-keyring: the throwaway keyring did not answer within 10 s; keychain tests may fail." >&2
      break
    fi
    sleep 0.05
  done
fi
"$@"
status=$?
# Stop only the daemon this script started (other test runs on the machine keep theirs).
[ -n "$ours" ] && kill $ours 2>/dev/null
rm -rf "$keyring_home"
exit $status
