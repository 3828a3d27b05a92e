// Reading the New Compose query modal: its submitted state into Alation's Create Query body,
// or per-field messages saying how to fix each input. Pure, so it is unit-tested alone.
import type { CreateQueryBody } from '../../client/alation.ts';
import type { FieldErrors } from '../../client/errors.ts';
import { clip } from '../../views/blocks.ts';
import {
  BLOCK_DATASOURCE,
  BLOCK_DESCRIPTION,
  BLOCK_DOMAINS,
  BLOCK_OPTIONS,
  BLOCK_SQL,
  BLOCK_TAGS,
  BLOCK_TITLE,
  INPUT,
  type NewQueryForm,
  OPTION_PUBLISHED,
  OPTION_SAVED,
} from '../../views/query-modal.ts';

/** Slack's view state: block → action → the element's value. */
export type ViewStateValues = Record<
  string,
  Record<string, { value?: string | null; selected_options?: { value: string }[] | null }>
>;

/** Inline errors keyed by block id, as `response_action: errors` wants them. */
export type FormErrors = Record<string, string>;

export function readForm(values: ViewStateValues): NewQueryForm {
  const text = (block: string) => values[block]?.[INPUT]?.value ?? '';
  const selected = (values[BLOCK_OPTIONS]?.[INPUT]?.selected_options ?? []).map((o) => o.value);
  return {
    datasourceId: text(BLOCK_DATASOURCE).trim(),
    title: text(BLOCK_TITLE).trim(),
    sql: text(BLOCK_SQL),
    description: text(BLOCK_DESCRIPTION).trim(),
    tags: text(BLOCK_TAGS),
    domains: text(BLOCK_DOMAINS),
    saved: selected.includes(OPTION_SAVED),
    published: selected.includes(OPTION_PUBLISHED),
  };
}

const splitList = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The Create Query body, or what to fix in which field. */
export function checkForm(
  form: NewQueryForm,
): { ok: true; body: CreateQueryBody } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const ds = form.datasourceId ?? '';
  if (ds === '') errors[BLOCK_DATASOURCE] = 'Enter the data source’s id, e.g. 7.';
  else if (!/^\d{1,12}$/.test(ds) || Number(ds) === 0) {
    errors[BLOCK_DATASOURCE] =
      `“${clip(ds, 40)}” is not a data source id. Use the number in its URL: /data/7/ → 7.`;
  }
  if ((form.sql ?? '').trim() === '') errors[BLOCK_SQL] = 'Enter the SQL of the query.';
  const domainWords = splitList(form.domains);
  const badDomain = domainWords.find((d) => !/^\d{1,12}$/.test(d) || Number(d) === 0);
  if (badDomain !== undefined) {
    errors[BLOCK_DOMAINS] =
      `“${clip(badDomain, 40)}” is not a domain id. Give numbers separated by commas, e.g. 3, 12.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const tags = [...new Set(splitList(form.tags))];
  const domains = [...new Set(domainWords.map(Number))];
  const body: CreateQueryBody = {
    datasource_id: Number(ds),
    content: form.sql ?? '',
    saved: form.saved ?? true,
    published: form.published ?? false,
    ...(form.title ? { title: form.title } : {}),
    ...(form.description ? { description: form.description } : {}),
    ...(tags.length > 0 ? { tag_names: tags } : {}),
    ...(domains.length > 0 ? { domain_ids: domains } : {}),
  };
  return { ok: true, body };
}

const FIELD_BLOCKS: Record<string, string> = {
  datasource_id: BLOCK_DATASOURCE,
  title: BLOCK_TITLE,
  content: BLOCK_SQL,
  description: BLOCK_DESCRIPTION,
  tag_names: BLOCK_TAGS,
  domain_ids: BLOCK_DOMAINS,
  saved: BLOCK_OPTIONS,
  published: BLOCK_OPTIONS,
};

/**
 * Alation's 400 field errors next to the inputs they belong to. Fields the modal has no input
 * for (author, non_field_errors) go under the SQL, named, so nothing Alation said is lost.
 */
export function fieldErrorsToForm(fieldErrors: FieldErrors): FormErrors {
  const errors: FormErrors = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const message = (Array.isArray(messages) ? messages : [String(messages)]).join(' ');
    if (!message) continue;
    const block = FIELD_BLOCKS[field];
    const line = block
      ? `Alation: ${message}`
      : `Alation: ${field === 'non_field_errors' ? '' : `${field}: `}${message}`;
    const target = block ?? BLOCK_SQL;
    errors[target] = errors[target] ? `${errors[target]} ${line}` : line;
  }
  return errors;
}
