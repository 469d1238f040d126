#!/bin/sh
# The image's entry point: a first argument naming one of the project's npm scripts runs it
# (`docker run bgr start:web`, `… migrate`, `… admin user list`); anything else runs as given
# (`docker run bgr node -v`). The default command is `start`, the all-in-one `npm start`.
set -e
case "$1" in
  start | start:web | start:inference | migrate | admin)
    script="$1"
    shift
    [ "$1" = "--" ] && shift
    exec npm run -s "$script" -- "$@"
    ;;
esac
exec "$@"
