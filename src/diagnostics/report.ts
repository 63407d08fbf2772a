import type { Node, Point, Position } from 'unist';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { messageSource, type RuleId } from './rules.js';

export type Place = Point | Position | undefined;

export interface MessageOptions {
  place?: Place;
  ruleId: RuleId;
  cause?: unknown;
}

/**
 * Record a problem in the content that stops the editions from being written.
 * Unlike `file.fail`, it does not throw: the run carries on so that every
 * problem is reported at once.
 */
export function error(file: VFile, reason: string, options: MessageOptions): VFileMessage {
  const message = file.message(reason, messageOptions(options));
  message.fatal = true;
  return message;
}

/** Record a problem that does not stop the build (unless `--strict`). */
export function warn(file: VFile, reason: string, options: MessageOptions): VFileMessage {
  return file.message(reason, messageOptions(options));
}

function messageOptions(options: MessageOptions) {
  return {
    ruleId: options.ruleId,
    source: messageSource,
    place: options.place,
    cause: options.cause instanceof Error ? options.cause : undefined,
  };
}

/** The position of a unist node, for messages. */
export function placeOf(node: Node | undefined): Position | undefined {
  return node?.position;
}

export function hasErrors(files: readonly VFile[], strict = false): boolean {
  return files.some((file) =>
    file.messages.some((message) => message.fatal === true || (strict && message.fatal === false)),
  );
}
