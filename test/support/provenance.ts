/**
 * The part of a build's output that describes the run rather than the configuration: how
 * the check results were produced (computed, replayed from the build cache, verified). It
 * differs between a cold and a warm build of the same config, and nothing else may.
 */

/** Output files that carry it: build.json and the three report files. */
export const RUN_RECORD_FILES: readonly string[] = ['build.json', 'report.json', 'report.md', 'report/index.html'];

/** `text` of the output file `file` with how the check results were produced taken out. */
export function withoutCheckResultOrigin(file: string, text: string): string {
  if (file === 'build.json' || file === 'report.json') {
    const json = JSON.parse(text);
    const holder = file === 'build.json' ? json : json.inputs;
    if (!('checkResults' in holder)) throw new Error(`${file} has no checkResults`);
    delete holder.checkResults;
    return JSON.stringify(json, null, 2);
  }
  const sentence = /How this evidence was produced: [^\n<]*/g;
  if ((text.match(sentence) ?? []).length !== 1) throw new Error(`${file} must say once how its evidence was produced`);
  return text.replace(sentence, 'How this evidence was produced: (run record)');
}
