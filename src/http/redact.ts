// Error texts from the file system or the database may carry absolute paths of the machine; clients get none. A path
// is absolute where its first "/" starts a word (the message's start, after a space, quote, bracket, "=", ":" or ","):
// "rt/bomb.json", relative to ARTICLES_DIR, is what an editor needs to find the file, and stays whole.
const ABSOLUTE_PATH = /(?<![^\s'"([=:,])(?:\/[^\s/'"():,]+)+\/?/gu;

/** A message with every absolute path replaced by `<path>`; paths relative to ARTICLES_DIR are kept. */
export const redactPaths = (message: string): string => message.replace(ABSOLUTE_PATH, '<path>');
