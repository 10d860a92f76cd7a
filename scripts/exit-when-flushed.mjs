// process.exit() drops whatever stdout still holds in its queue. When stdout is a pipe or socket
// that the reader drains slowly (npm test captures each stage on a loaded machine), a burst of
// lines written between long spawnSync calls is queued, and the event loop never runs to flush it
// before the script's final exit: the Wine stage once lost its closing count that way (its last
// ~30 lines, the summary among them) while exiting 0. Exit only after stdout has written it all.
export function exitWhenFlushed(code) {
  return new Promise(() => {
    process.stdout.write('', () => process.exit(code));
  });
}
