import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/store/audit-verify.js';
import { STAFF, type Person } from '../support/bot-harness.js';
import { forEachDialect, testDatabases, type TestDatabases } from '../support/temp-store.js';
import { TabHarness } from './support.js';

// The tab's Records Management actions over HTTP with real SSO tokens, on SQLite and PostgreSQL:
// holds (on a case, on whole classes, a subject access request's extension and clock), review
// decisions per record and for a group, and destruction batches previewed, created, confirmed by
// a second officer who ticks the four outside logs, and cancelled. Each runs the card verb's
// handler: it succeeds for an officer, is refused for anyone else, is refused as stale when the
// item changed since it was shown, and bad input changes nothing.

const TICKED = { logLitigation: true, logClaim: true, logSubjectAccess: true, logFoi: true };
type Json = Record<string, unknown>;

forEachDialect((dialect) =>
  describe('tab API: Records Management actions', () => {
    const tab = new TabHarness();
    let dbs: TestDatabases;

    beforeAll(async () => {
      dbs = testDatabases(dialect);
      await tab.start(dialect === 'postgres' ? { DATABASE_URL: await dbs.newUrl('tab-rms') } : {});
    });
    afterAll(async () => {
      await tab.stop();
      await dbs.cleanup();
    });

    const post = (person: Person, path: string, body: unknown) =>
      tab.call('POST', `/api/tab/rms${path}`, { person }, body);
    const get = (person: Person, path: string) => tab.call('GET', `/api/tab/rms${path}`, { person });
    const db = () => tab.bot.app.store.db;
    const hold = (id: string) =>
      db().selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const record = (id: string) =>
      db().selectFrom('records').selectAll().where('record_id', '=', id).executeTakeFirstOrThrow();
    const batchRow = (id: string) =>
      db().selectFrom('destruction_batches').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    /** Calls that must change nothing: each answered with `status` (and `code`). */
    async function changesNothing(calls: [() => Promise<{ status: number; json: Json }>, number, string?][]) {
      const before = await tab.bot.stateCounts();
      for (const [call, status, code] of calls) {
        const res = await call();
        expect(res.status, JSON.stringify(res.json)).toBe(status);
        expect(typeof res.json.error).toBe('string');
        if (code) expect(res.json.code, JSON.stringify(res.json)).toBe(code);
      }
      expect(await tab.bot.stateCounts()).toEqual(before);
    }

    it('places a hold on a case and releases it with a reason; a second release is stale (409)', async () => {
      const placeBody = {
        caseRef: '1234567',
        type: 'litigation',
        reference: 'CLAIM-77',
        reason: 'Proceedings issued by the family',
      };
      await changesNothing([
        [() => post('priya', '/holds', placeBody), 403, 'not_records_management'],
        [() => post('morgan', '/holds', { ...placeBody, reason: '' }), 422, 'reason_missing'],
        [() => post('morgan', '/holds', { ...placeBody, reason: 'Proceedings\u0000' }), 400, 'bad_request'],
        [() => post('morgan', '/holds', { ...placeBody, caseRef: '7654321' }), 404, 'case_unknown'],
        [() => post('morgan', '/holds', { ...placeBody, type: 'toString' }), 400, 'bad_type'],
        [() => post('morgan', '/holds', ['not', 'an', 'object']), 400, 'bad_request'],
      ]);

      const placed = await post('morgan', '/holds', placeBody);
      expect(placed.status).toBe(200);
      const id = (placed.json.hold as { id: string }).id;
      expect(placed.json).toMatchObject({
        title: 'Hold placed',
        notice: 'Nothing under this hold can be destroyed until it is released.',
        hold: {
          caseRef: '1234567',
          recordId: null,
          type: 'litigation',
          active: true,
          placedBy: 'Morgan Ellis',
        },
        blanketHold: null,
      });
      expect(await hold(id)).toMatchObject({ placed_by: STAFF.morgan, released_at: null });
      expect(await tab.bot.auditActions(id)).toEqual(['hold.placed']);
      const listed = await get('morgan', '/holds');
      expect((listed.json.holds as { id: string }[]).map((h) => h.id)).toContain(id);

      await changesNothing([
        [() => post('sam', `/holds/${id}/release`, { reason: 'Settled' }), 403, 'not_records_management'],
        [() => post('morgan', `/holds/${id}/release`, { reason: '\u200b ' }), 422, 'reason_missing'],
        [() => post('morgan', '/holds/not%20an%20id/release', { reason: 'Settled' }), 404, 'not_found'],
      ]);
      const released = await post('morgan', `/holds/${id}/release`, {
        reason: 'Settled out of court',
        holdId: '00000000-0000-4000-8000-000000000000', // the path names the hold, never the body
      });
      expect(released.status).toBe(200);
      expect(released.json).toMatchObject({ title: 'Hold released', hold: { id, active: false } });
      expect(await hold(id)).toMatchObject({
        released_by: STAFF.morgan,
        release_reason: 'Settled out of court',
      });

      // Dana, still looking at it as in force, releases it too: stale, shown as it is now.
      await changesNothing([
        [() => post('dana', `/holds/${id}/release`, { reason: 'Claim withdrawn' }), 409, 'already_released'],
      ]);
      const again = await post('dana', `/holds/${id}/release`, { reason: 'Claim withdrawn' });
      expect(again.json).toMatchObject({
        error: 'This hold was already released by Morgan Ellis.',
        hold: { id, active: false, releasedBy: 'Morgan Ellis' },
      });
    });

    it('a subject access request hold: extended once (a second time is stale), its clock stopped and restarted', async () => {
      const placed = await post('dana', '/holds', {
        caseRef: '1600229',
        type: 'subject_access_request',
        reference: 'SAR-2026-31',
        reason: 'Subject access request from the mother',
        sarReceivedOn: '2026-11-02',
      });
      expect(placed.status).toBe(200);
      const id = (placed.json.hold as { id: string }).id;
      expect(placed.json.hold).toMatchObject({ sar: { receivedOn: '2026-11-02', respondBy: '2026-12-02' } });

      await changesNothing([
        [
          () => post('priya', `/holds/${id}/extend`, { toldOn: '2026-11-20', extensionReason: 'Complex' }),
          403,
          'not_records_management',
        ],
        [
          () => post('dana', `/holds/${id}/extend`, { toldOn: '2026-11-20', extensionReason: '' }),
          422,
          'reason_required',
        ],
        [
          () => post('dana', `/holds/${id}/extend`, { toldOn: '2026-12-20', extensionReason: 'Complex' }),
          400,
          'told_on_future',
        ],
      ]);
      const extended = await post('dana', `/holds/${id}/extend`, {
        toldOn: '2026-11-20',
        extensionReason: 'Complex: several hundred pages across three teams',
      });
      expect(extended.status).toBe(200);
      expect(extended.json.notice).toBe(
        'Extended by two months: respond by 2 February 2027. The requester was told on 20 November 2026.',
      );
      await changesNothing([
        [
          () => post('morgan', `/holds/${id}/extend`, { toldOn: '2026-11-21', extensionReason: 'Complex' }),
          409,
          'already_extended',
        ],
      ]);

      const stopped = await post('dana', `/holds/${id}/stop-clock`, {
        stoppedFrom: '2026-11-24',
        awaiting: 'Proof of identity',
      });
      expect(stopped.status).toBe(200);
      expect(stopped.json.hold).toMatchObject({ sar: { pausedSince: '2026-11-24' } });
      await changesNothing([
        [
          () => post('dana', `/holds/${id}/stop-clock`, { stoppedFrom: '2026-11-25', awaiting: 'Identity' }),
          409,
          'already_paused',
        ],
        [() => post('dana', `/holds/${id}/restart-clock`, { arrivedOn: '2026-11-23' }), 400, 'date_early'],
      ]);
      const restarted = await post('dana', `/holds/${id}/restart-clock`, { arrivedOn: '2026-11-26' });
      expect(restarted.status).toBe(200);
      expect(restarted.json.hold).toMatchObject({ sar: { pausedSince: null } });
      expect(restarted.json.notice).toMatch(/^The clock is running again: respond by /);
      await changesNothing([
        [() => post('dana', `/holds/${id}/restart-clock`, { arrivedOn: '2026-11-26' }), 409, 'not_paused'],
      ]);
      expect(await tab.bot.auditActions(id)).toEqual([
        'hold.placed',
        'hold.sar_extended',
        'hold.sar_paused',
        'hold.sar_resumed',
      ]);
    });

    it('places a hold on whole classes, which blocks their records in a preview, and releases it', async () => {
      const body = {
        type: 'inquiry',
        name: 'Independent Inquiry into Complaints Handling',
        reference: 'IICH-2026',
        reason: 'The inquiry asked for every complaint record to be kept',
        startsOn: '2026-11-01',
        endsOn: '',
        classes: 'complaint',
      };
      await changesNothing([
        [() => post('alex', '/blanket-holds', body), 403, 'not_records_management'],
        [() => post('morgan', '/blanket-holds', { ...body, classes: 'no-such-class' }), 400, 'unknown_class'],
        [() => post('morgan', '/blanket-holds', { ...body, startsOn: '1 Nov' }), 400, 'starts_on_missing'],
      ]);
      const placed = await post('morgan', '/blanket-holds', body);
      expect(placed.status).toBe(200);
      const id = (placed.json.blanketHold as { id: string }).id;
      expect(placed.json).toMatchObject({
        title: 'Hold placed on whole classes',
        blanketHold: {
          reference: 'IICH-2026',
          classTitles: ['Complaint (Children Act 1989 representations)'],
          inForce: true,
        },
        hold: null,
      });
      const listed = await get('morgan', '/holds');
      expect((listed.json.blanket as { id: string }[]).map((h) => h.id)).toEqual([id]);

      const preview = await post('morgan', '/batches/preview', { classId: 'complaint', dueBy: '2026-11-26' });
      expect(preview.status).toBe(200);
      expect(preview.json.preview).toMatchObject({ records: 11, passing: 0, blocked: 11 });

      const released = await post('dana', `/blanket-holds/${id}/release`, { reason: 'The inquiry reported' });
      expect(released.status).toBe(200);
      expect(released.json).toMatchObject({ title: 'Hold released', blanketHold: { inForce: false } });
      await changesNothing([
        [() => post('morgan', `/blanket-holds/${id}/release`, { reason: 'Again' }), 409, 'already_released'],
      ]);
      const after = await post('morgan', '/batches/preview', { classId: 'complaint', dueBy: '2026-11-26' });
      expect(after.json.preview).toMatchObject({ records: 11, passing: 11, blocked: 0 });
    });

    it('review: the list, a decision per record (again on the same view is stale), and for a group', async () => {
      const list = await get('morgan', '/review?classId=looked-after-child');
      expect(list.status).toBe(200);
      expect(list.json).toMatchObject({ total: 4, classId: 'looked-after-child', dueBy: '2026-11-26' });
      const ids = (list.json.records as { recordId: string }[]).map((r) => r.recordId);
      expect(ids).toEqual(['LL-400167', 'LL-400198', 'LL-400238', 'LL-400243']);
      expect((await get('priya', '/review')).status).toBe(403);
      expect((await get('morgan', '/review?dueBy=soon')).status).toBe(400);

      const one = { recordIds: 'LL-400167', expected: 1, decision: 'destroy', reason: 'No further need' };
      await changesNothing([
        [() => post('sam', '/review/decisions', one), 403, 'not_records_management'],
        [() => post('morgan', '/review/decisions', { ...one, decision: '' }), 400, 'bad_decision'],
        [() => post('morgan', '/review/decisions', { ...one, reason: ' ' }), 422, 'reason_required'],
        [() => post('morgan', '/review/decisions', { ...one, expected: 'one' }), 400, 'bad_request'],
        [
          () => post('morgan', '/review/decisions', { ...one, decision: 'keep', keepYears: 'lots' }),
          400,
          'bad_keep_years',
        ],
        [
          () => post('morgan', '/review/decisions', { ...one, decision: 'transfer' }),
          400,
          'accession_required',
        ],
      ]);
      const decided = await post('morgan', '/review/decisions', one);
      expect(decided.status).toBe(200);
      expect(decided.json.notice).toBe(
        'Recorded: destroy 1 record(s). They are now due for destruction and can go into a destruction batch.',
      );
      expect(decided.json.decisions).toMatchObject([
        { recordId: 'LL-400167', decision: 'destroy', decidedBy: { name: 'Morgan Ellis' } },
      ]);
      expect(await record('LL-400167')).toMatchObject({ disposition: 'destroy' });

      // Dana still sees LL-400167 waiting, and decides to keep it: stale, nothing recorded.
      await changesNothing([
        [
          () =>
            post('dana', '/review/decisions', {
              recordIds: 'LL-400167',
              expected: 1,
              decision: 'keep',
              keepYears: 5,
              reason: 'Still in proceedings',
            }),
          409,
          'stale',
        ],
        // The group as Morgan saw it (4) is now 3.
        [
          () =>
            post('morgan', '/review/decisions', {
              classId: 'looked-after-child',
              dueBy: '2026-11-26',
              expected: 4,
              decision: 'permanent',
              reason: 'Historic interest',
            }),
          409,
          'stale',
        ],
      ]);
      const group = await post('morgan', '/review/decisions', {
        classId: 'looked-after-child',
        dueBy: '2026-11-26',
        expected: 3,
        decision: 'keep',
        keepYears: 5,
        reason: 'Siblings still in care',
      });
      expect(group.status).toBe(200);
      expect(group.json.notice).toBe(
        'Recorded: keep 3 record(s) for 5 more year(s), until a review on 26 November 2031.',
      );
      expect((await get('morgan', '/review?classId=looked-after-child')).json.total).toBe(0);
    });

    it('a batch: previewed (nothing made), created, refused to its creator and others, confirmed by a second officer who ticks the four logs', async () => {
      const scope = { classId: 'supervision-order', dueBy: '2026-11-26' };
      const before = await tab.bot.stateCounts();
      const preview = await post('morgan', '/batches/preview', scope);
      expect(preview.status).toBe(200);
      expect(preview.json).toMatchObject({
        preview: {
          records: 8,
          passing: 8,
          blocked: 0,
          scope: { classTitle: 'Child under a supervision order (not in care)' },
        },
        summary:
          'A new batch would hold 8 record(s): 8 pass every check, 0 are blocked. Nothing has been created yet: check it, then press Create the batch.',
      });
      expect(await tab.bot.stateCounts()).toEqual(before);
      await changesNothing([
        [() => post('priya', '/batches/preview', scope), 403, 'not_records_management'],
        [() => post('priya', '/batches', { ...scope, expected: 8 }), 403, 'not_records_management'],
        [() => post('morgan', '/batches', { ...scope, classId: 'no-such-class' }), 400, 'unknown_class'],
        [() => post('morgan', '/batches', { ...scope, dueBy: '31/12/2026' }), 400, 'bad_date'],
      ]);

      const created = await post('morgan', '/batches', { ...scope, expected: 8 });
      expect(created.status).toBe(200);
      const batch = created.json.batch as { id: string; reference: string; version: number };
      expect(created.json).toMatchObject({
        batch: { status: 'awaiting_confirmation', version: 1, can: { canConfirm: false, canCancel: true } },
        statusLine:
          'Waiting for a second Records Management officer to confirm. 8 of 8 record(s) pass every check.',
        nextStep: expect.stringContaining('I have asked Dana Fox.') as unknown,
        certificate: null,
      });
      expect(await tab.bot.outbox('destruction.awaiting_confirmation')).toHaveLength(1);

      // Dana opens it: she may confirm; each record's method by its format.
      const opened = await get('dana', `/batches/${batch.id}`);
      expect(opened.json).toMatchObject({
        batch: { can: { canConfirm: true, canCancel: true } },
        nextStep: expect.stringContaining('tick each log held outside this app') as unknown,
      });
      const items = (opened.json.batch as { items: { recordId: string; proposedMethod: string }[] }).items;
      expect(items.find((i) => i.recordId === 'PF-403453')?.proposedMethod).toBe('confidential-shredding');
      expect((await get('sam', `/batches/${batch.id}`)).status).toBe(403);

      const confirm = { version: batch.version, ...TICKED };
      await changesNothing([
        [() => post('morgan', `/batches/${batch.id}/confirm`, confirm), 403, 'two_person_rule'],
        [() => post('priya', `/batches/${batch.id}/confirm`, confirm), 403, 'not_records_management'],
        [
          () => post('dana', `/batches/${batch.id}/confirm`, { ...confirm, logFoi: false }),
          422,
          'logs_not_checked',
        ],
        [() => post('dana', `/batches/${batch.id}/confirm`, { ...confirm, version: 7 }), 409, 'stale'],
        [
          () =>
            post('dana', `/batches/${batch.id}/confirm`, { ...confirm, method: 'secure-deletion-livelink' }),
          422,
          'method_does_not_fit_format',
        ],
        [
          () => post('dana', `/batches/${batch.id}/confirm`, { ...confirm, method: 'burning' }),
          400,
          'bad_method',
        ],
        [
          () => post('dana', `/batches/${batch.id}/confirm`, { ...confirm, version: 'x' }),
          400,
          'bad_request',
        ],
      ]);
      // A refusal to someone outside Records Management shows nothing of the batch.
      const outsider = await post('priya', `/batches/${batch.id}/confirm`, confirm);
      expect(outsider.json.batch).toBeUndefined();
      const own = await post('morgan', `/batches/${batch.id}/confirm`, confirm);
      expect(own.json).toMatchObject({ batch: { batch: { id: batch.id, status: 'awaiting_confirmation' } } });

      const done = await post('dana', `/batches/${batch.id}/confirm`, confirm);
      expect(done.status).toBe(200);
      expect(done.json).toMatchObject({
        notice: 'Destroyed 8 record(s) and entered them in the register.',
        batch: { status: 'confirmed', version: 2, confirmedBy: { name: 'Dana Fox' } },
        certificate: { fileName: `certificate-${batch.reference}.pdf` },
      });
      const register = await db()
        .selectFrom('destruction_register')
        .selectAll()
        .where('batch_id', '=', batch.id)
        .execute();
      expect(register).toHaveLength(8);
      expect(register.find((e) => e.record_id === 'PF-403453')).toMatchObject({
        method: 'confidential-shredding',
        destroyed_by: STAFF.dana,
        authorised_by: STAFF.morgan,
      });
      expect(JSON.parse((await batchRow(batch.id)).log_checks!)).toMatchObject({
        ticks: { litigation: true, claim: true, subject_access_request: true, foi_request: true },
        checkedBy: { name: 'Dana Fox' },
      });
      const certificate = await fetch(`${tab.base}${(done.json.certificate as { url: string }).url}`);
      expect(certificate.status).toBe(200);
      expect(certificate.headers.get('content-type')).toContain('application/pdf');
      // Morgan is told, as from the chat.
      expect(await tab.bot.outbox('destruction.batch_confirmed')).toHaveLength(1);
      await changesNothing([[() => post('dana', `/batches/${batch.id}/confirm`, confirm), 409, 'stale']]);
    });

    it('a batch cancelled with a reason; without one, or on a stale version, nothing changes', async () => {
      const created = await post('dana', '/batches', {
        classId: 'child-arrangements',
        dueBy: '2026-11-26',
        expected: 2,
      });
      expect(created.status).toBe(200);
      const batch = created.json.batch as { id: string; reference: string; version: number };
      expect(created.json.notice).toBe(
        `Created destruction batch ${batch.reference} of 2 record(s). Nothing is destroyed until it is confirmed.`,
      );
      await changesNothing([
        [
          () => post('morgan', `/batches/${batch.id}/cancel`, { version: 1, reason: '' }),
          422,
          'reason_required',
        ],
        [
          () => post('morgan', `/batches/${batch.id}/cancel`, { version: 2, reason: 'Wrong class' }),
          409,
          'stale',
        ],
        [() => post('tom', `/batches/${batch.id}/cancel`, { version: 1, reason: 'Wrong class' }), 403],
        [
          () => post('morgan', '/batches/DB-1999-0001/cancel', { version: 1, reason: 'Wrong' }),
          404,
          'not_found',
        ],
      ]);
      const cancelled = await post('morgan', `/batches/${batch.id}/cancel`, {
        version: batch.version,
        reason: 'The family asked for a copy first',
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json).toMatchObject({
        notice: `Cancelled destruction batch ${batch.reference}: nothing was destroyed.`,
        batch: { status: 'cancelled', version: 2 },
      });
      expect((await tab.bot.outbox('destruction.batch_cancelled')).map((o) => o.recipient_id)).toEqual([
        STAFF.dana,
      ]);
      expect(await verifyAudit(db())).toMatchObject({ ok: true });
    });
  }),
);
