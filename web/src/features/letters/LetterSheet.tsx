import {
  LETTER_KINDS,
  PREPRINTED_FIELD_KEYS,
  type FieldOffset,
  type LetterDocument,
  type PreprintedField,
} from '@vosul/common/letters';
import { RECIPIENT_ROLES } from '@vosul/common/workflows';
import { formatJalaliDate, formatMoney, toPersianDigits } from '../../lib/format';

const titleOf = (kind: LetterDocument['kind']) => (kind === 'declaration' ? 'اظهارنامه' : LETTER_KINDS[kind]);

/** A letter on its branch's letterhead: bank, branch, number, date, addressee, body, signature. */
export function LetterSheet({ letter }: { letter: LetterDocument }) {
  return (
    <article className="vosul-letter" data-testid="letter-sheet" dir="rtl">
      <header className="vosul-letter-head">
        <div className="vosul-letter-bank">
          <strong>{toPersianDigits(letter.bank_name)}</strong>
          <div>
            {toPersianDigits(letter.branch_name)} (کد {toPersianDigits(letter.branch_code)})
          </div>
          {letter.branch_address && (
            <div className="vosul-letter-small">نشانی: {toPersianDigits(letter.branch_address)}</div>
          )}
        </div>
        <dl className="vosul-letter-meta">
          <div>
            <dt>شماره:</dt> <dd>{toPersianDigits(letter.letter_no)}</dd>
          </div>
          <div>
            <dt>تاریخ:</dt> <dd>{formatJalaliDate(letter.business_date)}</dd>
          </div>
        </dl>
      </header>
      <h2 className="vosul-letter-title">{titleOf(letter.kind)}</h2>
      <p>
        {RECIPIENT_ROLES[letter.recipient_role]}: {toPersianDigits(letter.recipient_name)}
        <br />
        نشانی: {toPersianDigits(letter.address)}
        <br />
        شماره تسهیلات: {toPersianDigits(letter.facility_nos.join('، '))}
      </p>
      <div className="vosul-letter-body">{toPersianDigits(letter.text)}</div>
      <footer className="vosul-letter-signature">
        <strong>{toPersianDigits(letter.signature)}</strong>
        <div>{toPersianDigits(`${letter.bank_name} — ${letter.branch_name}`)}</div>
      </footer>
    </article>
  );
}

/** A warning notice for the bank's pre-printed paper (پرفراژ): only its fields, each at its offset. */
export function PreprintedSheet({
  letter,
  offsets,
}: {
  letter: LetterDocument;
  offsets: Record<PreprintedField, FieldOffset>;
}) {
  const values: Record<PreprintedField, string> = {
    recipient_name: toPersianDigits(letter.recipient_name),
    facility_no: toPersianDigits(letter.facility_nos.join('، ')),
    amount: letter.overdue_amount === null ? '' : `${formatMoney(letter.overdue_amount)} ریال`,
    date: formatJalaliDate(letter.business_date),
    letter_no: toPersianDigits(letter.letter_no),
    address: toPersianDigits(letter.address),
  };
  return (
    <article className="vosul-letter vosul-letter-preprinted" data-testid="letter-sheet" dir="rtl">
      {PREPRINTED_FIELD_KEYS.map((field) => (
        <span
          key={field}
          className="vosul-preprinted-field"
          data-field={field}
          style={{ right: `${offsets[field].x}mm`, top: `${offsets[field].y}mm` }}
        >
          {values[field]}
        </span>
      ))}
    </article>
  );
}
