// Block Kit and view validation as Slack's Web API reports it (slack.md §4).
import { isObject, str } from './wire.ts';

function textOf(value: unknown): string | undefined {
  return isObject(value) ? str(value.text) : undefined;
}

/**
 * A subset of Slack's Block Kit limits: the ones an app most plausibly trips (lengths, counts,
 * duplicate ids), reported in Slack's `[ERROR] ... [json-pointer:...]` style.
 */
export function validateBlocks(
  blocks: unknown,
  surface: 'message' | 'modal' | 'home',
  base: string,
): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${base}]`];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max)
    errors.push(`[ERROR] no more than ${max} items allowed [json-pointer:${base}]`);
  const blockIds = new Set<string>();
  // Slack wants action_ids unique within their block only; rows of identical buttons are fine.
  let actionIds = new Set<string>();
  const checkAction = (element: unknown, at: string): void => {
    if (!isObject(element)) return;
    const actionId = str(element.action_id);
    if (actionId === undefined) return;
    if (actionId.length > 255)
      errors.push(`[ERROR] must be less than 256 characters [json-pointer:${at}/action_id]`);
    if (actionIds.has(actionId))
      errors.push(`[ERROR] action_id already exists: ${actionId} [json-pointer:${at}/action_id]`);
    actionIds.add(actionId);
  };
  blocks.forEach((block, i) => {
    const at = `${base}/${i}`;
    actionIds = new Set<string>();
    if (!isObject(block) || typeof block.type !== 'string' || block.type === '') {
      errors.push(`[ERROR] missing required field: type [json-pointer:${at}]`);
      return;
    }
    const blockId = block.block_id;
    if (blockId !== undefined) {
      if (typeof blockId !== 'string' || blockId.length > 255)
        errors.push(
          `[ERROR] must be a string of at most 255 characters [json-pointer:${at}/block_id]`,
        );
      else if (blockIds.has(blockId))
        errors.push(`[ERROR] duplicate block_id: ${blockId} [json-pointer:${at}/block_id]`);
      else blockIds.add(blockId);
    }
    switch (block.type) {
      case 'section': {
        const text = textOf(block.text);
        const fields = block.fields;
        if (text === undefined && !Array.isArray(fields))
          errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
        if (text !== undefined && text.length > 3000)
          errors.push(`[ERROR] must be less than 3001 characters [json-pointer:${at}/text/text]`);
        if (Array.isArray(fields)) {
          if (fields.length > 10)
            errors.push(`[ERROR] no more than 10 items allowed [json-pointer:${at}/fields]`);
          fields.forEach((f, j) => {
            if ((textOf(f)?.length ?? 0) > 2000)
              errors.push(
                `[ERROR] must be less than 2001 characters [json-pointer:${at}/fields/${j}/text]`,
              );
          });
        }
        checkAction(block.accessory, `${at}/accessory`);
        break;
      }
      case 'header': {
        const header = block.text;
        if (!isObject(header) || header.type !== 'plain_text')
          errors.push(`[ERROR] must be a plain_text text object [json-pointer:${at}/text]`);
        else if ((str(header.text)?.length ?? 0) > 150)
          errors.push(`[ERROR] must be less than 151 characters [json-pointer:${at}/text/text]`);
        break;
      }
      case 'actions':
      case 'context': {
        const limit = block.type === 'actions' ? 25 : 10;
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0)
          errors.push(`[ERROR] must provide at least 1 item [json-pointer:${at}/elements]`);
        else {
          if (elements.length > limit)
            errors.push(
              `[ERROR] no more than ${limit} items allowed [json-pointer:${at}/elements]`,
            );
          elements.forEach((e, j) => {
            checkAction(e, `${at}/elements/${j}`);
          });
        }
        break;
      }
      case 'input': {
        if (!isObject(block.label))
          errors.push(`[ERROR] missing required field: label [json-pointer:${at}]`);
        if (!isObject(block.element))
          errors.push(`[ERROR] missing required field: element [json-pointer:${at}]`);
        checkAction(block.element, `${at}/element`);
        break;
      }
      default:
        break;
    }
  });
  return errors;
}

export function validateView(view: unknown, allowed: readonly string[]): string[] {
  if (!isObject(view)) return ['[ERROR] missing required field: view'];
  const errors: string[] = [];
  const type = str(view.type);
  if (type === undefined || !allowed.includes(type))
    errors.push(`[ERROR] must be one of ${allowed.join(', ')} [json-pointer:/view/type]`);
  if (type === 'modal') {
    const title = view.title;
    if (!isObject(title) || title.type !== 'plain_text')
      errors.push('[ERROR] must be a plain_text text object [json-pointer:/view/title]');
    else if ((str(title.text)?.length ?? 0) > 24)
      errors.push('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]');
    for (const key of ['submit', 'close'] as const) {
      const button = view[key];
      if (button === undefined || button === null) continue;
      if (!isObject(button) || button.type !== 'plain_text')
        errors.push(`[ERROR] must be a plain_text text object [json-pointer:/view/${key}]`);
      else if ((str(button.text)?.length ?? 0) > 24)
        errors.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`);
    }
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && !isObject(view.submit))
      errors.push(
        '[ERROR] submit is required when an input block is within the blocks array [json-pointer:/view/submit]',
      );
  }
  if ((str(view.private_metadata)?.length ?? 0) > 3000)
    errors.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  if ((str(view.callback_id)?.length ?? 0) > 255)
    errors.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  errors.push(
    ...validateBlocks(view.blocks ?? [], type === 'home' ? 'home' : 'modal', '/view/blocks'),
  );
  return errors;
}
