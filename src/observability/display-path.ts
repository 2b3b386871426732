// A path in a log line or /status is read by a person: a folder nested 18 deep with 250-character names must not
// turn one line into 4 KB. The start and the end say where it is and what it is.
const DISPLAY_LENGTH = 200;

/** `path` cut to at most 200 characters, its middle replaced by "…". */
export function displayPath(path: string): string {
  if (path.length <= DISPLAY_LENGTH) return path;
  const head = Math.floor((DISPLAY_LENGTH - 1) / 2);
  return `${path.slice(0, head)}…${path.slice(path.length - (DISPLAY_LENGTH - 1 - head))}`;
}
