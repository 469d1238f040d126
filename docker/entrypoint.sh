#!/bin/sh
# The image's entry point: a first argument naming one of the project's npm scripts runs it
# (`docker run bgr start:web`, `… migrate`, `… admin user list`); anything else runs as given
# (`docker run bgr node -v`). The default command is `start`, the all-in-one `npm start`.
# The script's command replaces this shell (exec, no npm in between), so the server is the
# container's main process and `docker stop` / Kubernetes' SIGTERM reach it: it drains and exits.
set -e
cd "$(dirname "$0")/.."
# The image holds Next's standalone build, not next.config.ts: hand the build's own configuration to
# whichever process starts Next (the standalone server.js sets it itself; start:web's server reads it).
config=apps/web/.next/required-server-files.json
if [ -z "${__NEXT_PRIVATE_STANDALONE_CONFIG:-}" ] && [ -f "$config" ]; then
  __NEXT_PRIVATE_STANDALONE_CONFIG="$(node -e "process.stdout.write(JSON.stringify(require('./$config').config))")"
  export __NEXT_PRIVATE_STANDALONE_CONFIG
fi
case "$1" in
  start | start:web | start:inference | migrate | admin)
    script="$1"
    shift
    [ "${1:-}" = "--" ] && shift
    command="$(node -p "require('./package.json').scripts[process.argv[1]] ?? ''" "$script")"
    [ -n "$command" ] || { echo "entrypoint: package.json has no \"$script\" script." >&2; exit 1; }
    command="${command#exec }"
    PATH="$PWD/node_modules/.bin:$PATH"
    export PATH
    exec sh -c "exec $command \"\$@\"" "$script" "$@"
    ;;
esac
exec "$@"
