// `/alation alert new [query_id]` and Edit: the alert form, its columns read from the query's
// latest result, and its submission (checked against Alation as the creator, stored, scheduled,
// and checked once at once).
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { type Header, latestHeader } from '../../alerts/header.ts';
import { formAudienceNote, queryAudienceNote } from '../../audience/note.ts';
import { ownerOf } from '../../auth/owner.ts';
import { isUpstreamError, NotConnectedError } from '../../client/errors.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { reportFailure } from '../../slack/failure.ts';
import {
  type Outcome,
  outcomeWithin,
  readMetadata,
  submitModal,
} from '../../slack/modal-submission.ts';
import { tellUser, userTimeZone } from '../../slack/reply.ts';
import type { Alert } from '../../store/alerts.ts';
import type { Owner } from '../../store/credentials.ts';
import { buildAlertSaved } from '../../views/alert.ts';
import {
  type AlertForm,
  BLOCK_ALERT_COLUMN,
  BLOCK_ALERT_NAME,
  BLOCK_ALERT_QUERY,
  buildAlertModal,
  VIEW_ALERT,
} from '../../views/alert-modal.ts';
import { escapeMrkdwn, plainText, section } from '../../views/blocks.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import {
  type AlertViewState,
  alertMetadataSchema,
  type CheckedAlert,
  checkAlertForm,
  emptyAlertForm,
  readAlertForm,
} from './form.ts';

type Client = AllMiddlewareArgs['client'];

/** How long opening the form waits for the columns before showing it without them. */
const HEADER_WAIT_MS = 1_500;

interface Metadata {
  alertId?: string;
  responseUrl?: string;
  columns?: string[];
  form: AlertForm;
}

function readAlertMetadata(raw: string): Metadata {
  const read = readMetadata(raw, alertMetadataSchema, {});
  const given = Object.fromEntries(
    Object.entries(read.form ?? {}).filter(([, v]) => v !== undefined),
  );
  return {
    ...(read.alertId ? { alertId: read.alertId } : {}),
    ...(read.responseUrl ? { responseUrl: read.responseUrl } : {}),
    ...(read.columns ? { columns: read.columns } : {}),
    form: { ...emptyAlertForm(''), ...given },
  };
}

function modalFor(meta: Metadata, columnsProblem?: string, audienceNote?: string) {
  // private_metadata holds 3,000 characters: columns are kept only while they fit.
  let carried: Metadata = meta;
  if (JSON.stringify(meta).length > 2_900) {
    const { columns: _dropped, ...rest } = meta;
    carried = rest;
  }
  return buildAlertModal({
    form: meta.form,
    ...(meta.columns ? { columns: meta.columns } : {}),
    ...(columnsProblem ? { columnsProblem } : {}),
    privateMetadata: JSON.stringify(carried),
    editing: meta.alertId !== undefined,
    audienceNote,
  });
}

/** A channel alert is checked (issue 18); "only me" and personal alerts need none. */
const checksAudience = (form: Pick<AlertForm, 'onlyMe' | 'personal'>) =>
  !form.onlyMe && !form.personal;

/** Why a header could not be read, in words for the query field's hint. */
function headerProblem(error: unknown, queryId: string): string {
  if (error instanceof NotConnectedError) return 'Connect Alation first with /alation login.';
  if (isUpstreamError(error) && (error.kind === 'not_found' || error.kind === 'forbidden')) {
    return `Alation shows you no query ${queryId}: check the id, or ask its owner for access.`;
  }
  return 'Alation did not answer just now, so its columns are not listed; type the column, or press Enter again.';
}

async function readColumns(
  features: Features,
  owner: Owner,
  queryId: string,
): Promise<{ columns?: string[]; problem?: string }> {
  if (!/^\d{1,9}$/.test(queryId)) return {};
  try {
    const header = await latestHeader(features.alationFor(owner), Number(queryId));
    return header.ok ? { columns: header.columns } : { problem: header.problem };
  } catch (error) {
    return { problem: headerProblem(error, queryId) };
  }
}

type Saved =
  | { kind: 'saved'; alert: Alert; verb: 'Created' | 'Saved' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'gone' };

export function newAlertAction(deps: CommandDeps) {
  /** Checked against Alation as the creator: the query is visible and has the column. */
  async function checkUpstream(
    features: Features,
    owner: Owner,
    checked: CheckedAlert,
  ): Promise<Record<string, string> | undefined> {
    let header: Header;
    try {
      header = await latestHeader(features.alationFor(owner), checked.queryId);
    } catch (error) {
      if (error instanceof NotConnectedError) {
        return {
          [BLOCK_ALERT_NAME]:
            'Alerts read Alation as you: connect with `/alation login` first. Nothing was saved.',
        };
      }
      if (isUpstreamError(error) && (error.kind === 'not_found' || error.kind === 'forbidden')) {
        return {
          [BLOCK_ALERT_QUERY]: `Alation shows you no query ${checked.queryId}. Check the id, or ask its owner for access.`,
        };
      }
      throw error;
    }
    const c = checked.condition;
    const column = c.kind === 'column' ? c.column : c.kind === 'new_rows' ? c.keyColumn : undefined;
    if (column === undefined) return undefined;
    if (!header.ok) return { [BLOCK_ALERT_COLUMN]: header.problem };
    if (!header.columns.includes(column)) {
      const some = header.columns.slice(0, 8).join(', ');
      return {
        [BLOCK_ALERT_COLUMN]: `The latest result has no column “${column.slice(0, 40)}”. Its columns: ${some.slice(0, 120)}.`,
      };
    }
    return undefined;
  }

  async function save(
    features: Features,
    owner: Owner,
    meta: Metadata,
    checked: CheckedAlert,
    client: Client,
  ): Promise<Saved> {
    const errors = await checkUpstream(features, owner, checked);
    if (errors) return { kind: 'errors', errors };
    const channelId = checked.channelId ?? owner.userId;
    const tz = (await userTimeZone(client, owner.userId)) ?? 'UTC';
    const input = {
      channelId,
      onlyMe: checked.onlyMe,
      personal: checked.personal,
      tz,
      name: checked.name,
      queryId: checked.queryId,
      condition: checked.condition,
      everyMinutes: checked.everyMinutes,
    };
    let alert: Alert | undefined;
    let verb: 'Created' | 'Saved' = 'Created';
    if (meta.alertId) {
      const existing = await features.alerts.get(meta.alertId);
      if (
        !existing ||
        existing.owner.userId !== owner.userId ||
        existing.owner.tenantId !== owner.tenantId
      )
        return { kind: 'gone' };
      alert = await features.alerts.update(meta.alertId, input);
      verb = 'Saved';
      if (!alert) return { kind: 'gone' };
    } else {
      alert = await features.alerts.create({ owner, ...input }, features.now());
    }
    // A personal alert's creator gets their own copy like everyone else (issue 18).
    if (alert.personal) await features.alertSubscriptions.subscribe(alert.id, alert.owner);
    try {
      if (alert.status === 'active') {
        await features.alertScheduler().schedule(alert);
        await features.alertScheduler().checkNow(alert.id);
      }
    } catch (error) {
      // An alert never scheduled would look fine and never check.
      if (!meta.alertId) await features.alerts.remove(alert.id);
      throw error;
    }
    return { kind: 'saved', alert, verb };
  }

  const doneView = (title: string, text: string) => ({
    type: 'modal' as const,
    title: plainText(title),
    close: plainText('Close'),
    blocks: [section(text)],
  });

  return {
    async run({ ack, respond, command, client, log, args }: CommandInput) {
      await ack();
      const owner = ownerOf(command);
      const queryId = args.split(/\s+/)[1] ?? '';
      try {
        const features = await deps.features();
        await features.requireAlation(owner);
        const meta: Metadata = {
          responseUrl: command.response_url,
          form: emptyAlertForm(command.channel_id, queryId),
        };
        // The trigger id lasts 3 s: columns that take longer are filled in once the form is open.
        const reading = readColumns(features, owner, queryId);
        const early = await outcomeWithin(reading, HEADER_WAIT_MS);
        if (early?.ok && early.value.columns) meta.columns = early.value.columns;
        const opened = await client.views.open({
          trigger_id: command.trigger_id,
          view: modalFor(meta, early?.ok ? early.value.problem : undefined),
        });
        if (!early && opened.view?.id) {
          const late = await reading;
          if (late.columns) meta.columns = late.columns;
          await client.views
            .update({
              view_id: opened.view.id,
              hash: opened.view.hash,
              view: modalFor(meta, late.problem),
            })
            .catch((err: unknown) => log.debug({ err }, 'alert form columns not filled in'));
        }
      } catch (error) {
        await reportFailure(error, respond, log, 'open the new alert form');
      }
    },

    async openEdit(
      client: Client,
      triggerId: string,
      alert: Alert,
      form: AlertForm,
    ): Promise<void> {
      await client.views.open({
        trigger_id: triggerId,
        view: modalFor({ alertId: alert.id, form }),
      });
    },

    register(app: App) {
      // Kind changes and Enter in the query field re-render the form, reading the columns.
      app.action('alert_refresh', async ({ ack, body, client, context }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view) return;
        const owner = ownerOf(body);
        const features = await deps.features();
        const meta = readAlertMetadata(view.private_metadata);
        const before = meta.form.queryId;
        meta.form = readAlertForm(view.state.values as AlertViewState, meta.form);
        let problem: string | undefined;
        if (meta.form.queryId !== before || !meta.columns) {
          const read = await readColumns(features, owner, meta.form.queryId);
          if (read.columns) meta.columns = read.columns;
          else delete meta.columns;
          problem = read.problem;
        }
        const log = requestContext(context).log;
        const updated = await client.views
          .update({ view_id: view.id, hash: view.hash, view: modalFor(meta, problem) })
          .catch((err: unknown) => {
            // A newer edit won the race (hash mismatch); its own refresh follows.
            log.debug({ err }, 'alert form refresh skipped');
            return undefined;
          });
        // Then who in the channel can see the query, as each of them (issue 18), before saving.
        const note = checksAudience(meta.form)
          ? await formAudienceNote(features.audience, client, owner.tenantId, meta.form, log)
          : undefined;
        const hash = updated?.view?.hash;
        if (note && hash) {
          await client.views
            .update({ view_id: view.id, hash, view: modalFor(meta, problem, note) })
            .catch((err: unknown) => log.debug({ err }, 'alert form audience note skipped'));
        }
      });

      app.view(VIEW_ALERT, async ({ ack, body, view, client, context }) => {
        const log: Logger = requestContext(context).log;
        const owner = ownerOf(body);
        const meta = readAlertMetadata(view.private_metadata);
        meta.form = readAlertForm(view.state.values as AlertViewState, meta.form);
        const checked = checkAlertForm(meta.form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const features = await deps.features();
        const failed = (outcome: Outcome<Saved>) => {
          if (outcome.ok) return undefined;
          log.error({ err: outcome.error }, 'could not save an alert');
          return 'I could not save the alert: Alation or storage did not answer. Nothing was saved; please try again in a minute.';
        };
        const outcome = await submitModal({
          ack,
          client,
          viewId: view.id,
          work: save(features, owner, meta, checked.alert, client),
          inline: (o) => {
            const problem = failed(o);
            if (problem)
              return { response_action: 'errors', errors: { [BLOCK_ALERT_NAME]: problem } };
            if (o.ok && o.value.kind === 'errors')
              return { response_action: 'errors', errors: o.value.errors };
            return undefined;
          },
          progress: () =>
            doneView(
              'Saving alert',
              ':hourglass_flowing_sand: Checking the query in Alation and saving…',
            ),
          final: (o) => {
            const problem = failed(o);
            if (problem) return doneView('Alert not saved', problem);
            if (o.ok && o.value.kind === 'errors')
              return doneView(
                'Alert not saved',
                Object.values(o.value.errors).map(escapeMrkdwn).join('\n'),
              );
            if (o.ok && o.value.kind === 'gone')
              return doneView(
                'Alert not saved',
                'That alert no longer exists, or it is not yours to change.',
              );
            return doneView(
              'Alert saved',
              o.ok && o.value.kind === 'saved'
                ? buildAlertSaved(o.value.alert, o.value.verb).text
                : '',
            );
          },
        });
        if (!outcome.ok || outcome.value.kind === 'errors') return;
        const gone =
          'That alert no longer exists, or it is not yours to change. Nothing was saved.';
        let message = { text: gone, blocks: [section(gone)] };
        if (outcome.value.kind === 'saved') {
          const { alert, verb } = outcome.value;
          const found = checksAudience(alert)
            ? await queryAudienceNote(
                features.audience,
                client,
                owner.tenantId,
                alert.channelId,
                alert.queryId,
                log,
              )
            : undefined;
          if (found)
            await features.alerts
              .setAudienceNote(alert.id, found.note)
              .catch((err: unknown) => log.warn({ err }, 'could not record an alert’s audience'));
          message = buildAlertSaved({ ...alert, audienceNote: found?.note ?? null }, verb, {
            someCannotSee: found?.someCannotSee ?? false,
          });
        }
        await tellUser(client, owner.userId, message, meta.responseUrl).catch((err: unknown) =>
          log.warn({ err }, 'could not confirm a saved alert'),
        );
        if (outcome.value.kind === 'saved')
          log.info(
            { alertId: outcome.value.alert.id },
            `${outcome.value.verb.toLowerCase()} an alert`,
          );
      });
    },
  };
}
