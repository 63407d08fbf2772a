/**
 * A function and its argument as a script for the page. Written out as source
 * with a stand-in for the name helper that some TypeScript loaders add, so the
 * function runs the same however imprint itself was loaded. In a module of its
 * own, so that what writes page scripts does not load Puppeteer with it.
 */
export function inPage<A>(fn: (argument: A) => unknown, argument: A): string {
  return `(() => { const __name = (target) => target; return (${fn.toString()})(${JSON.stringify(argument)}); })()`;
}
