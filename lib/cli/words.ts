/**
 * Error messages in the CLI's words: the library's argument checks name API
 * arguments (`"target.setId" argument`, `"options.writers.exclude[0]"`); a
 * person at the shell typed `--set` or `--exclude-writer`. Each command passes
 * its own table from API argument to CLI word.
 * @internal
 * @module
 */

/** API argument name (with `[]` standing for any index) -> what the user typed. */
export type CliWords = Record<string, string>;

/** API argument names shared by every command. */
export const COMMON_WORDS: CliWords = {
  volumes: 'the volume list',
  'volumes[]': 'volume',
  'volumes.length': 'the number of volumes',
  'options.volume': '--volume',
  'options.setId': '--set',
  'options.writers[]': '--writer',
  'options.writers.exclude[]': '--exclude-writer',
  'options.writers.include[]': '--writer',
  'options.writers.exclude': '--exclude-writer',
  'options.selection.exclude': '--exclude',
  'options.retry': '--retry N',
  'options.backupType': '--backup-type',
  'options.selection.include[]': '--include',
  'options.selection.exclude[]': '--exclude',
  'options.selection.verify[]': '--verify',
  'options.selection.include': '--include',
  'target[]': 'id',
  'target.length': 'the number of ids',
  'target.setId': '--set',
  'target.volume': '--oldest',
  snapshotId: '<id>',
  'target.driveLetter': '<target>',
  'target.mountPath': '<target>',
  'target.share': '<target>',
  'options.components[]': '--component',
  'options.restoreType': '--restore-type',
  'options.subcomponents[]': '--subcomponent',
  'options.rangesFiles[].component': '--ranges-file',
  'options.rangesFiles[].partialFile': '--ranges-file',
  document: '--document',
  setId: '<set-id>',
  'options.ids[]': '--id',
  'options.levels[]': '--level',
  'options.channels[]': '--channel',
  'options.since': '--since',
  'options.max': '--max',
};

/** The CLI word for one API argument name (`volumes[2]` -> `volume 3`), or the name itself. */
function wordFor(name: string, words: CliWords): string {
  if (words[name]) return words[name];
  const indexed = /^(.*)\[(\d+)\]$/.exec(name);
  if (indexed) {
    const word = words[`${indexed[1]}[]`];
    // Options that repeat (--writer a --writer b) name the value; positional lists count from 1.
    if (word) return word.startsWith('-') ? word : `${word} ${Number(indexed[2]) + 1}`;
  }
  // A field of a repeated option's value (options.rangesFiles[1].component) is that option.
  const field = words[name.replace(/\[\d+\]/g, '[]')];
  if (field) return field;
  return `"${name}"`;
}

/**
 * Rewrites a library argument error's message into the CLI's words:
 * `The "target.setId" argument must be a GUID …` -> `--set must be a GUID …`.
 * Messages of any other shape come back unchanged.
 */
export function inCliWords(text: string, words: CliWords = COMMON_WORDS): string {
  // The library offers both spellings of the simulator; at the shell there is one.
  const message = text.replace(/([Pp])ass \{ backend: 'simulated' \} \((?:or )?the CLI's --simulate\)/g, (_m, p: string) => `${p === 'P' ? 'U' : 'u'}se --simulate`);
  const argument = /^The "([^"]+)" argument must be ([\s\S]*)$/.exec(message);
  // Another option named in what it must be ("a writer that "options.ignore" does not also name") is its flag too.
  if (argument) return `${wordFor(argument[1]!, words)} must be ${argument[2]!.replace(/"(options\.[\w.]+)"/g, (quoted, name: string) => words[name] ?? COMMON_WORDS[name] ?? quoted)}`;
  const range = /^The value of "([^"]+)" is out of range\. ([\s\S]*)$/.exec(message);
  if (range) return `${wordFor(range[1]!, words)} is out of range. ${range[2]}`;
  // A remedy naming an option ("options.writers.exclude") names the flag the shell has for it.
  return message.replace(/"(options\.[\w.]+)"/g, (quoted, name: string) => words[name] ?? COMMON_WORDS[name] ?? quoted);
}
