// The Create Query modal: its ids, the form, and the progress and outcome views.
import type { KnownBlock, ModalView } from '@slack/types';
import type { Query } from '../client/alation.ts';
import { escapeMrkdwn, plainText, section, textInput } from './blocks.ts';
import { titleOf } from './query.ts';

export const VIEW_QUERY_NEW = 'query_new';

export const BLOCK_DATASOURCE = 'query_datasource';
export const BLOCK_TITLE = 'query_title';
export const BLOCK_SQL = 'query_sql';
export const BLOCK_DESCRIPTION = 'query_description';
export const BLOCK_TAGS = 'query_tags';
export const BLOCK_DOMAINS = 'query_domains';
export const BLOCK_OPTIONS = 'query_options';
export const INPUT = 'value';
export const OPTION_SAVED = 'saved';
export const OPTION_PUBLISHED = 'published';

export interface NewQueryForm {
  datasourceId?: string;
  title?: string;
  sql?: string;
  description?: string;
  tags?: string;
  domains?: string;
  saved?: boolean;
  published?: boolean;
}

export interface NewQueryModalInput {
  privateMetadata: string;
  /** Prefilled values: the remembered data source, or what was typed before a slow failure. */
  values?: NewQueryForm;
  /** Shown above the fields when Alation failed after the modal was already answered. */
  problem?: string;
}

/** Every field of Alation's Create Query, one input each. */
export function buildNewQueryModal(input: NewQueryModalInput): ModalView {
  const v = input.values ?? {};
  const options = [
    { text: plainText('Saved (not a draft)'), value: OPTION_SAVED },
    { text: plainText('Published (visible to others)'), value: OPTION_PUBLISHED },
  ];
  const initial = options.filter(
    (o) =>
      (o.value === OPTION_SAVED && (v.saved ?? true)) ||
      (o.value === OPTION_PUBLISHED && (v.published ?? false)),
  );
  const blocks: KnownBlock[] = [];
  if (input.problem) blocks.push(section(`:warning: ${escapeMrkdwn(input.problem)}`));
  blocks.push(
    textInput(BLOCK_DATASOURCE, 'Data source ID', {
      initial: v.datasourceId,
      hint: 'The number in the data source’s Alation URL: /data/7/ → 7',
      placeholder: '7',
      maxLength: 12,
    }),
    textInput(BLOCK_TITLE, 'Title', { initial: v.title, optional: true, maxLength: 250 }),
    textInput(BLOCK_SQL, 'SQL', {
      initial: v.sql,
      multiline: true,
      placeholder: 'SELECT …',
    }),
    textInput(BLOCK_DESCRIPTION, 'Description', {
      initial: v.description,
      optional: true,
      multiline: true,
    }),
    textInput(BLOCK_TAGS, 'Tags', {
      initial: v.tags,
      optional: true,
      hint: 'Comma-separated tag names, e.g. finance, weekly',
    }),
    textInput(BLOCK_DOMAINS, 'Domain IDs', {
      initial: v.domains,
      optional: true,
      hint: 'Comma-separated domain numbers, e.g. 3, 12',
    }),
    {
      type: 'input',
      block_id: BLOCK_OPTIONS,
      label: plainText('Options'),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: INPUT,
        options,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEW_QUERY_NEW,
    private_metadata: input.privateMetadata,
    title: plainText('New Compose query'),
    submit: plainText('Create'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** Shown while a slow Alation finishes creating the query after Slack's 3-second window. */
export function buildCreatingModal(): ModalView {
  return {
    type: 'modal',
    title: plainText('New Compose query'),
    close: plainText('Close'),
    blocks: [section(':hourglass_flowing_sand: Creating the query in Alation…')],
  };
}

export function buildCreatedModal(query: Query): ModalView {
  return {
    type: 'modal',
    title: plainText('New Compose query'),
    close: plainText('Done'),
    blocks: [
      section(
        `:white_check_mark: Created *${escapeMrkdwn(titleOf(query))}* (query ${query.id}). You can close this.`,
      ),
    ],
  };
}
