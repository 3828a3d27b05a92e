// files.*: the external upload (get URL, POST bytes, complete) and the files it shares.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { postAsBot } from './chat.ts';
import { resolveChannel } from './conversations.ts';
import { type Method, nextId, notify, type SlackEnv } from './state.ts';
import type { JsonObject, UploadRecord } from './types.ts';
import {
  fail,
  isObject,
  mediaType,
  mimeFor,
  missing,
  ok,
  parseMultipart,
  readBody,
  str,
} from './wire.ts';

export const fileMethods: Record<string, Method> = {
  'files.getUploadURLExternal': (env, args) => {
    const filename = str(args.filename);
    const lengthArg = str(args.length);
    if (!filename || lengthArg === undefined) {
      return missing(
        ...(!filename ? ['filename'] : []),
        ...(lengthArg === undefined ? ['length'] : []),
      );
    }
    const length = Number(lengthArg);
    if (!Number.isInteger(length) || length < 0)
      return fail('invalid_arguments', ['[ERROR] length must be an integer']);
    if (length === 0) return fail('missing_argument');
    const id = nextId(env, 'F');
    const token = randomBytes(12).toString('base64url');
    const uploadUrl = `${env.baseUrl}/upload/v1/${token}`;
    env.state.uploadTokens.set(token, id);
    const altText = str(args.alt_txt ?? args.alt_text);
    const snippetType = str(args.snippet_type);
    env.state.uploads.set(id, {
      id,
      filename,
      length,
      ...(altText === undefined ? {} : { alt_text: altText }),
      ...(snippetType === undefined ? {} : { snippet_type: snippetType }),
      uploadUrl,
      bytes: undefined,
    });
    return ok({ upload_url: uploadUrl, file_id: id });
  },

  'files.completeUploadExternal': (env, args) => {
    const files = args.files;
    if (files === undefined) return missing('files');
    if (
      !Array.isArray(files) ||
      files.length === 0 ||
      !files.every((f) => isObject(f) && typeof f.id === 'string')
    )
      return fail('invalid_arguments', [
        '[ERROR] files must be a JSON array of {id, title?} [json-pointer:/files]',
      ]);
    const channelId = str(args.channel_id) ?? str(args.channels)?.split(',')[0];
    const target = channelId ? resolveChannel(env, channelId) : undefined;
    if (channelId && !target) return fail('invalid_channel');
    if (target?.seed && target.seed.is_member === false) return fail('not_in_channel');
    const records: UploadRecord[] = [];
    for (const f of files as JsonObject[]) {
      const record = env.state.uploads.get(f.id as string);
      // Slack cannot find a file whose bytes never reached the upload URL.
      if (!record || record.bytes === undefined) return fail('file_not_found');
      if (record.bytes.length !== record.length) {
        return fail('invalid_arguments', [
          `[ERROR] file ${record.id}: uploaded ${record.bytes.length} bytes but files.getUploadURLExternal declared length ${record.length}`,
        ]);
      }
      records.push(record);
    }
    const threadTs = str(args.thread_ts);
    const initialComment = str(args.initial_comment);
    const now = Date.now();
    const titled = records.map((record, i) => {
      const title = str((files[i] as JsonObject).title) ?? record.filename;
      return { record, title };
    });
    let messageTs: string | undefined;
    if (target) {
      const m = postAsBot(env, {
        channel: target.id,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: initialComment ?? '',
        // Slack takes blocks for the share message, and ignores them when initial_comment is set.
        ...(initialComment === undefined && Array.isArray(args.blocks)
          ? { blocks: args.blocks as unknown[] }
          : {}),
        files: titled.map(({ record, title }) => ({
          id: record.id,
          name: record.filename,
          title,
        })),
        via: 'files.completeUploadExternal',
      });
      messageTs = m.ts;
    }
    for (const { record, title } of titled) {
      record.completed = {
        ...(target ? { channel_id: target.id } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(initialComment === undefined ? {} : { initial_comment: initialComment }),
        title,
        ...(messageTs === undefined ? {} : { message_ts: messageTs }),
        at: now,
      };
    }
    return ok({
      files: titled.map(({ record, title }) => ({
        id: record.id,
        created: Math.floor(now / 1000),
        timestamp: Math.floor(now / 1000),
        name: record.filename,
        title,
        ...mimeFor(record.filename),
        user: env.botUserId,
        user_team: env.teamId,
        size: record.bytes?.length ?? 0,
        mode: 'hosted',
        is_external: false,
        is_public: target?.seed ? !(target.seed.is_private ?? false) : false,
        url_private: `${env.baseUrl}/files-pri/${record.id}/${encodeURIComponent(record.filename)}`,
        url_private_download: `${env.baseUrl}/files-pri/${record.id}/download/${encodeURIComponent(record.filename)}`,
        permalink: `https://${env.teamDomain}.slack.com/files/${env.botUserId}/${record.id}/${encodeURIComponent(record.filename)}`,
        channels: target?.kind === 'channel' ? [target.id] : [],
        ims: target?.kind === 'im' ? [target.id] : [],
        groups: [],
      })),
    });
  },
};

/** The upload URL files.getUploadURLExternal handed out: raw bytes or a multipart file part. */
export async function handleUpload(
  env: SlackEnv,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
): Promise<void> {
  const raw = await readBody(req);
  const fileId = env.state.uploadTokens.get(token);
  const upload = fileId === undefined ? undefined : env.state.uploads.get(fileId);
  if (!upload) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
    return;
  }
  let bytes = raw;
  let contentType = req.headers['content-type'];
  if (mediaType(req) === 'multipart/form-data') {
    // WebClient's filesUploadV2 sends the bytes as a multipart part named `body`; curl-style
    // clients use `file` or `filename`. Any file part will do.
    const form = await parseMultipart(req, raw);
    const part = [...form.values()].find((v): v is File => typeof v !== 'string');
    if (part) {
      bytes = Buffer.from(await part.arrayBuffer());
      contentType = part.type;
    }
  }
  upload.bytes = bytes;
  if (contentType !== undefined) upload.contentType = contentType;
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`OK - ${bytes.length}`);
  notify(env);
}

/** `url_private`: the file's bytes for the bot's token, else Slack's redirect to sign in. */
export function handlePrivateFile(
  env: SlackEnv,
  res: ServerResponse,
  req: IncomingMessage,
  id: string,
): void {
  const upload = env.state.uploads.get(id);
  if (req.headers.authorization !== `Bearer ${env.botToken}`) {
    res.writeHead(302, { location: `https://${env.teamDomain}.slack.com/?redir=/files-pri/${id}` });
    res.end();
    return;
  }
  if (!upload?.bytes || !upload.completed) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': mimeFor(upload.filename).mimetype,
    'content-length': upload.bytes.length,
  });
  res.end(upload.bytes);
}
