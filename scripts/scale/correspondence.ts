/*
 * The correspondence registers at national scale (scripts/seed-scale.ts): incoming items spread over the regions
 * in proportion to their files, over the last two years, with the kinds, channels and statuses of a working body;
 * most answered by a signed outgoing letter. Written set-based in SQL, so 300,000 items take seconds. Due dates are
 * the receipt date plus the kind's usual term in calendar days: close enough for load, not for the deadline engine.
 */
import { QueryTypes, type Sequelize } from 'sequelize'

export interface CorrespondenceSeed {
  incoming: number
  outgoing: number
}

/** Fills empty registers with `total` incoming items (and their replies) across the regions: numbering starts at 1. */
export async function seedCorrespondence(sequelize: Sequelize, total: number, today: string): Promise<CorrespondenceSeed> {
  return sequelize.transaction(async (transaction) => {
    // Trigram indexes are built once after the bulk insert: maintaining them row by row costs far more.
    await sequelize.query('DROP INDEX incoming_items_search; DROP INDEX outgoing_letters_search', { transaction })
    await sequelize.query(
      `CREATE TEMP TABLE scale_items ON COMMIT DROP AS
       WITH weights AS (
         SELECT r.id AS region_id, r.file_prefix, greatest(1, count(b.id)) AS files FROM regions r LEFT JOIN beneficiaries b ON b.region_id = r.id GROUP BY r.id
       ), shares AS (
         SELECT region_id, file_prefix, ceil(:total * files::numeric / sum(files) OVER ())::int AS items FROM weights
       ), staff AS (
         SELECT region_id, array_agg(id ORDER BY id) AS ids FROM users WHERE active AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') AND region_id IS NOT NULL GROUP BY region_id
       ), generated AS (
         SELECT s.region_id, s.file_prefix, n, st.ids, random() AS r1, random() AS r2, random() AS r3,
                (DATE :today - (random() * 730)::int) AS received_on
           FROM shares s CROSS JOIN LATERAL generate_series(1, s.items) AS n JOIN staff st ON st.region_id = s.region_id
       )
       SELECT region_id, file_prefix, ids, received_on, r1, r2, r3,
              (ARRAY['STATE_BODY_LETTER','UNIT_REQUEST','COURT_LETTER','CITIZEN_APPLICATION','BENEFICIARY_APPLICATION','COMPLAINT','SOCIAL_MEDIA_INQUIRY','EMAIL_INQUIRY','INFORMATION_REQUEST','PARDON_PETITION'])[1 + floor(r1 * 10)::int] AS kind
         FROM generated`,
      { replacements: { total, today }, transaction },
    )
    const [{ incoming }] = await sequelize.query<{ incoming: number }>(
      `WITH numbered AS (
         SELECT si.*, extract(year FROM received_on)::int AS year,
                row_number() OVER (PARTITION BY region_id, extract(year FROM received_on) ORDER BY received_on, r2) AS sequence
           FROM scale_items si
       ), inserted AS (
         INSERT INTO incoming_items (region_id, year, sequence, number, received_on, channel, kind, sender, subject, topic, rule_id, due_date, computed_due_date, due_explanation,
                                     status, assignee_user_id, resolution, assigned_on, answered_on, closed_on, registered_by_user_id, search_text, under_control)
         SELECT region_id, year, sequence, file_prefix || '-Մ-' || year || '-' || lpad(sequence::text, 4, '0'), received_on,
                (ARRAY['POST','IN_PERSON','OFFICIAL_EMAIL','E_GOVERNMENT','SOCIAL_NETWORK','PHONE'])[1 + floor(r2 * 6)::int], kind,
                'Ուղարկող ' || (1 + floor(r3 * 5000)::int), 'Գրության թեմա ' || (1 + floor(r1 * 900)::int),
                CASE WHEN kind IN ('CITIZEN_APPLICATION','BENEFICIARY_APPLICATION','COMPLAINT','SOCIAL_MEDIA_INQUIRY','EMAIL_INQUIRY','INFORMATION_REQUEST')
                     THEN (ARRAY['STAFF_CONDUCT','SUPERVISION_CONDITIONS','PUBLIC_WORKS','FINES','CERTIFICATES_AND_DOCUMENTS','DELAYS','OTHER'])[1 + floor(r3 * 7)::int] END,
                CASE WHEN kind IN ('STATE_BODY_LETTER','UNIT_REQUEST','COURT_LETTER') THEN 'OFFICIAL_LETTER_REPLY' WHEN kind = 'INFORMATION_REQUEST' THEN 'FOI_REPLY'
                     WHEN kind = 'PARDON_PETITION' THEN 'PARDON_PETITION_FORWARD' ELSE 'PETITION_REPLY' END,
                received_on + CASE WHEN kind = 'INFORMATION_REQUEST' THEN 5 WHEN kind IN ('STATE_BODY_LETTER','UNIT_REQUEST','COURT_LETTER','PARDON_PETITION') THEN 14 ELSE 30 END,
                received_on + CASE WHEN kind = 'INFORMATION_REQUEST' THEN 5 WHEN kind IN ('STATE_BODY_LETTER','UNIT_REQUEST','COURT_LETTER','PARDON_PETITION') THEN 14 ELSE 30 END,
                '{"scale": true}'::jsonb,
                -- Older items are answered and closed; the last weeks' are at every stage.
                CASE WHEN received_on < DATE :today - 45 THEN (CASE WHEN r2 < 0.9 THEN 'CLOSED' ELSE 'SENT' END)
                     ELSE (ARRAY['REGISTERED','ASSIGNED','IN_PROGRESS','REPLY_DRAFTED','SIGNED','SENT'])[1 + floor(r2 * 6)::int] END,
                ids[1 + floor(r3 * array_length(ids, 1))::int], 'Պատրաստել պատասխան', received_on + 1,
                CASE WHEN received_on < DATE :today - 45 OR r2 >= 5.0 / 6 THEN received_on + (3 + floor(r3 * 35))::int END,
                CASE WHEN received_on < DATE :today - 45 AND r2 < 0.9 THEN received_on + 40 END,
                ids[1], lower(file_prefix || '-մ-' || year || '-' || lpad(sequence::text, 4, '0') || ' ուղարկող ' || (1 + floor(r3 * 5000)::int) || ' գրության թեմա ' || (1 + floor(r1 * 900)::int)),
                r1 < 0.02
           FROM numbered
         RETURNING id)
       SELECT count(*)::int AS incoming FROM inserted`,
      { replacements: { today }, type: QueryTypes.SELECT, transaction },
    )
    const [{ outgoing }] = await sequelize.query<{ outgoing: number }>(
      `WITH heads AS (
         SELECT region_id, min(id) AS head_id FROM users WHERE role = 'REGIONAL_HEAD' GROUP BY region_id
       ), answered AS (
         SELECT i.id, i.region_id, i.answered_on, i.sender, i.subject, i.assignee_user_id, r.file_prefix, extract(year FROM i.answered_on)::int AS year,
                row_number() OVER (PARTITION BY i.region_id, extract(year FROM i.answered_on) ORDER BY i.answered_on, i.id) AS sequence, h.head_id
           FROM incoming_items i JOIN regions r ON r.id = i.region_id LEFT JOIN heads h ON h.region_id = i.region_id
          WHERE i.answered_on IS NOT NULL
       ), inserted AS (
         INSERT INTO outgoing_letters (region_id, year, sequence, number, purpose, incoming_item_id, addressee, subject, body, letter_date, status, author_user_id,
                                       signed_by_user_id, signed_on, sending_method, sent_on, search_text)
         SELECT region_id, year, sequence, file_prefix || '-Ե-' || year || '-' || lpad(sequence::text, 4, '0'), 'REPLY', id, sender, 'Պատասխան. ' || subject, 'Պատասխանի տեքստ',
                answered_on, 'SENT', assignee_user_id, coalesce(head_id, assignee_user_id), answered_on, 'POST', answered_on,
                lower(file_prefix || '-ե-' || year || '-' || lpad(sequence::text, 4, '0') || ' ' || sender || ' պատասխան. ' || subject)
           FROM answered
         RETURNING id)
       SELECT count(*)::int AS outgoing FROM inserted`,
      { type: QueryTypes.SELECT, transaction },
    )
    await sequelize.query(
      `CREATE INDEX incoming_items_search ON incoming_items USING gin (search_text gin_trgm_ops);
       CREATE INDEX outgoing_letters_search ON outgoing_letters USING gin (search_text gin_trgm_ops)`,
      { transaction },
    )
    // The counters continue after the seeded numbers, so registering one more item still gets the next number.
    await sequelize.query(
      `INSERT INTO register_counters (region_id, register, year, last_number)
       SELECT region_id, 'IN', year, max(sequence) FROM incoming_items GROUP BY region_id, year
       UNION ALL
       SELECT region_id, 'OUT', year, max(sequence) FROM outgoing_letters WHERE number IS NOT NULL GROUP BY region_id, year
       ON CONFLICT (region_id, register, year) DO UPDATE SET last_number = greatest(register_counters.last_number, EXCLUDED.last_number)`,
      { transaction },
    )
    return { incoming, outgoing }
  })
}
