import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '../api/api-client.ts';
import type { EvalConversation } from './eval-dataset.ts';

/**
 * Writes a conversation as the generic chat JSONL (docs/chat-jsonl.md): one channel per
 * session, one message per turn, the turn id as the message id.
 */
export async function writeConversationJsonl(
  conversation: EvalConversation,
  folder: string,
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const lines = conversation.sessions.flatMap((session) =>
    session.turns.map((turn) =>
      JSON.stringify({
        channel: session.id,
        author: turn.speaker,
        timestamp: turn.timestamp,
        text: turn.text,
        id: turn.id,
      }),
    ),
  );
  const file = path.join(folder, `${encodeURIComponent(conversation.id)}.jsonl`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Ingests each conversation as one user's `chat-export` source through the API, so it takes
 * the real path: Temporal workflow, parsing, chunking, dedup, embedding and both stores.
 */
export async function ingestConversations(
  api: ApiClient,
  conversations: readonly EvalConversation[],
  folder: string,
  onDone: (conversation: EvalConversation, documents: number) => void,
): Promise<void> {
  for (const conversation of conversations) {
    const file = await writeConversationJsonl(conversation, folder);
    const started = await api.startIngestion({
      user: conversation.id,
      source: { kind: 'chat-export', name: 'eval', settings: { path: file, format: 'jsonl' } },
    });
    const status = await api.waitForIngestion(started.workflowId);
    if (status.status !== 'COMPLETED') {
      throw new Error(`Ingestion of ${conversation.id} ended ${status.status}`);
    }
    onDone(conversation, status.documents.ingested ?? 0);
  }
}
