import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { batchCard, dueCard, registerCard } from '../cards/destruction.js';
import { messageCard, removalListCard, VERBS, type CardJson } from '../cards/index.js';
import { formatDate, isIsoDate, type IsoDate, type Refusal, type Schedule } from '../rules/index.js';
import { today, type Clock } from '../services/clock.js';
import type { BatchView, DestructionService } from '../services/destruction.js';
import { enqueue } from '../store/outbox.js';
import type { Database } from '../store/schema.js';
import { getStaff } from '../store/staff.js';
import { DOWNLOADS } from '../web/downloads.js';
import type { SignedLinks } from '../web/signed-links.js';
import type { VerbHandlers } from './card-actions.js';
import { RMS_ONLY } from './holds-chat.js';
import { cardResponse, errorResponse } from './invoke.js';

export interface DestructionChatDeps {
  db: Kysely<Database>;
  schedule: Schedule;
  clock: Clock;
  destruction: DestructionService;
  links: SignedLinks;
  twoPersonRule: boolean;
  notify: () => void;
}

export interface DestructionEntities {
  recordClassQuery?: string;
  classId?: string;
  dueBy?: IsoDate;
  recordId?: string;
  caseRef?: string;
  batchRef?: string;
}

const refusalCard = (r: Refusal) =>
  messageCard({ title: 'Not done', lines: [r.message], style: 'attention' });

/** What is due, destruction batches and the register, in chat and on cards: Records Management only. */
export class DestructionChat {
  constructor(private readonly deps: DestructionChatDeps) {}

  private async isRm(actorId: string): Promise<boolean> {
    return (await getStaff(this.deps.db, actorId))?.roles.includes('records_management') ?? false;
  }

  async batchCardFor(batch: BatchView, actorId: string, notice = ''): Promise<CardJson> {
    const rm = await this.isRm(actorId);
    const awaiting = batch.status === 'awaiting_confirmation';
    return batchCard(
      batch,
      {
        canConfirm: rm && awaiting && (!this.deps.twoPersonRule || batch.createdBy.id !== actorId),
        canCancel: rm && awaiting,
        certificateUrl:
          batch.status === 'confirmed' ? this.deps.links.link(DOWNLOADS.certificate(batch.id), actorId) : '',
      },
      notice ||
        (awaiting && this.deps.twoPersonRule && batch.createdBy.id === actorId
          ? 'Another Records Management officer must confirm this batch: I have asked them.'
          : ''),
    );
  }

  async due(actorId: string, e: DestructionEntities, page = 1): Promise<CardJson> {
    const classId = e.classId ?? '';
    const result = await this.deps.destruction.due(actorId, {
      classId: classId || undefined,
      dueBy: e.dueBy,
      page,
    });
    if (!result.ok) return refusalCard(result);
    return dueCard(result, this.deps.schedule, classId);
  }

  async createBatch(actorId: string, e: DestructionEntities): Promise<CardJson> {
    const review = await this.deps.destruction.createBatch(actorId, {
      recordIds: e.recordId ? [e.recordId] : undefined,
      filter: e.recordId ? undefined : { classId: e.classId || undefined, dueBy: e.dueBy },
    });
    if (!review.ok) return refusalCard(review);
    await this.askForConfirmation(review.batch);
    return this.batchCardFor(review.batch, actorId, review.notice ?? '');
  }

  /** Tells the other Records Management officers a batch waits for their confirmation. */
  private async askForConfirmation(batch: BatchView): Promise<void> {
    if (!this.deps.twoPersonRule) return;
    const officers = await this.deps.db
      .selectFrom('staff')
      .select('aad_object_id')
      .where('roles', 'like', '%records_management%')
      .where('aad_object_id', '!=', batch.createdBy.id)
      .execute();
    const at = this.deps.clock.now().toISOString();
    await enqueue(
      this.deps.db,
      officers.map((o) => ({
        dedupeKey: `destruction.awaiting_confirmation:${batch.id}:${o.aad_object_id}`,
        recipientId: o.aad_object_id,
        kind: 'destruction.awaiting_confirmation',
        authorisationId: null,
        payload: { batchId: batch.id },
        dueAt: at,
      })),
      at,
    );
    this.deps.notify();
  }

  async batches(actorId: string): Promise<CardJson> {
    if (!(await this.isRm(actorId)))
      return messageCard({ title: 'Not shown', lines: [RMS_ONLY], style: 'attention' });
    const list = await this.deps.destruction.listBatches({ limit: 20 });
    const item = (b: (typeof list)[number]) => ({
      id: b.id,
      line: `${b.reference}: ${b.statusLabel}`,
      detail: `${b.counts.records} record(s); chosen by ${b.createdBy.name} on ${formatDate(b.createdAt.slice(0, 10))}`,
    });
    // The list card opens items with the removal verb; batches need their own, so show them as lines.
    return removalListCard(
      'Destruction batches',
      [
        {
          heading: 'Waiting for confirmation',
          items: list.filter((b) => b.status === 'awaiting_confirmation').map(item),
        },
        { heading: 'Recent', items: list.filter((b) => b.status !== 'awaiting_confirmation').map(item) },
      ],
      'No destruction batches yet. Say "what is due for destruction?" to start one.',
      VERBS.batchShow,
    );
  }

  async register(actorId: string, e: DestructionEntities): Promise<CardJson> {
    if (!(await this.isRm(actorId)))
      return messageCard({ title: 'Not shown', lines: [RMS_ONLY], style: 'attention' });
    if (e.recordId) {
      const entry = await this.deps.destruction.wasDestroyed(e.recordId);
      return entry
        ? registerCard(`Record ${e.recordId} was destroyed`, [entry], 1, { csvUrl: '', xlsxUrl: '' })
        : messageCard({
            title: `Record ${e.recordId} has not been destroyed`,
            lines: ['It is not in the destruction register.'],
          });
    }
    const page = await this.deps.destruction.register({
      caseRef: e.caseRef,
      batchId: e.batchRef,
      page: 1,
      pageSize: 10,
    });
    if (!page.ok) return refusalCard(page);
    const scope = e.batchRef ? ` for batch ${e.batchRef}` : e.caseRef ? ` for case ${e.caseRef}` : '';
    return registerCard(`Destruction register${scope}`, page.entries, page.total, {
      csvUrl: this.deps.links.link(DOWNLOADS.registerCsv, actorId),
      xlsxUrl: this.deps.links.link(DOWNLOADS.registerXlsx, actorId),
    });
  }

  async show(actorId: string, batchId: string): Promise<CardJson> {
    if (!(await this.isRm(actorId)))
      return messageCard({ title: 'Not shown', lines: [RMS_ONLY], style: 'attention' });
    const batch = await this.deps.destruction.getBatch(batchId);
    return batch
      ? this.batchCardFor(batch, actorId)
      : messageCard({ title: 'Not found', lines: ['No batch has that reference.'] });
  }
}

const text = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => v?.trim() ?? '');
const dueData = z.object({
  classId: text(100),
  dueBy: text(20),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});
const batchData = z.object({
  batchId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(0),
  method: text(60),
  certificateRef: text(200),
  reason: text(2000),
});

/** The destruction card buttons, one handler per verb. */
export function destructionActions(chat: DestructionChat, deps: DestructionChatDeps): VerbHandlers {
  const filters = (data: unknown) => {
    const parsed = dueData.safeParse(data);
    if (!parsed.success) return null;
    const { classId, dueBy, page } = parsed.data;
    return {
      e: { classId: classId || undefined, dueBy: isIsoDate(dueBy) ? dueBy : undefined },
      page: page ?? 1,
    };
  };
  return {
    [VERBS.due]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const f = filters(data);
      if (!f) return errorResponse(400, 'BadRequest', 'The filter could not be read.');
      return cardResponse(await chat.due(actorId, f.e, f.page));
    },
    [VERBS.batchCreate]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const f = filters(data);
      if (!f) return errorResponse(400, 'BadRequest', 'The filter could not be read.');
      return cardResponse(await chat.createBatch(actorId, { ...f.e, dueBy: f.e.dueBy ?? today(deps.clock) }));
    },
    [VERBS.batchShow]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const parsed = z
        .object({ id: z.string().min(1).max(64) })
        .or(z.object({ authorisationId: z.string().min(1).max(64) }))
        .safeParse(data);
      if (!parsed.success)
        return errorResponse(400, 'BadRequest', 'This card is missing the batch it belongs to.');
      return cardResponse(
        await chat.show(actorId, 'id' in parsed.data ? parsed.data.id : parsed.data.authorisationId),
      );
    },
    [VERBS.batchConfirm]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const parsed = batchData.safeParse(data);
      if (!parsed.success)
        return errorResponse(400, 'BadRequest', 'This card is missing the batch it belongs to.');
      const { batchId, version, method, certificateRef } = parsed.data;
      const result = await deps.destruction.confirm(actorId, batchId, {
        method,
        certificateRef: certificateRef || null,
        expectedVersion: version,
      });
      if (!result.ok) {
        const batch = await deps.destruction.getBatch(batchId);
        return cardResponse(
          batch && (await getStaff(deps.db, actorId))?.roles.includes('records_management')
            ? await chat.batchCardFor(batch, actorId, result.message)
            : refusalCard(result),
        );
      }
      const kept = result.blocked.length
        ? ` ${result.blocked.length} record(s) were kept: a check failed at confirmation.`
        : '';
      return cardResponse(
        await chat.batchCardFor(
          result.batch,
          actorId,
          `Destroyed ${result.destroyed.length} record(s) and entered them in the register.${kept}`,
        ),
      );
    },
    [VERBS.batchCancel]: async (actorId, data): Promise<AdaptiveCardInvokeResponse> => {
      const parsed = batchData.safeParse(data);
      if (!parsed.success)
        return errorResponse(400, 'BadRequest', 'This card is missing the batch it belongs to.');
      const { batchId, version, reason } = parsed.data;
      const result = await deps.destruction.cancel(actorId, batchId, reason, version);
      if (!result.ok) {
        const batch = await deps.destruction.getBatch(batchId);
        return cardResponse(
          batch && (await getStaff(deps.db, actorId))?.roles.includes('records_management')
            ? await chat.batchCardFor(batch, actorId, result.message)
            : refusalCard(result),
        );
      }
      return cardResponse(await chat.batchCardFor(result.batch, actorId));
    },
  };
}
