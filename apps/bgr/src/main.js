// The `bgr` command line: dispatches to remove, zip2png and account; a UsageError anywhere before
// the first request ends with its sentence and exit code 2.
import { ACCOUNT_HELP, accountCommand } from './account.js';
import { REMOVE_HELP, removeCommand } from './remove/command.js';
import { EXIT, UsageError } from './usage-error.js';
import { VERSION } from './version.js';
import { ZIP2PNG_HELP, zip2pngCommand } from './zip2png.js';

const HELP = `bgr ${VERSION}: remove image backgrounds in bulk through a remove.bg-compatible API.

Commands:
  bgr remove <files, folders or globs…>   remove backgrounds (bgr remove --help for the options)
  bgr zip2png <zip files…>                turn --format zip results into PNGs
  bgr account                             show the credits left

Examples:
  export BGR_API_KEY=… BGR_API_URL=https://bgr.example.com
  bgr remove --recursive --output-directory cutouts photos/
  bgr account

${REMOVE_HELP}

${ZIP2PNG_HELP}

${ACCOUNT_HELP}`;

/**
 * @param {string[]} argv
 * @param {{ stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, stdin: NodeJS.ReadStream }} [io]
 * @returns {Promise<number>} the exit code
 */
export async function main(argv, io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }) {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'remove':
        return await removeCommand(rest, io);
      case 'zip2png':
        return await zip2pngCommand(rest, io);
      case 'account':
        return await accountCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${HELP}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`Unknown command "${command}"; use remove, zip2png or account (bgr --help).`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
