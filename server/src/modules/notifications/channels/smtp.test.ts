import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderDownError, type OutgoingMessage } from './adapter.js';
import { checkSmtpAccount, EMAIL_SUBJECT, smtpAdapter, type SmtpAccount } from './smtp.js';

// the bank's mail server: a real SMTP server (the smtp-server package) that logs in, takes mail and
// refuses some recipients as a mail server does (550 no such mailbox, 451 try later)
const received: ParsedMail[] = [];
const server = new SMTPServer({
  closeTimeout: 100,
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  onAuth(auth, _session, callback) {
    if (auth.username === 'collection' && auth.password === 'smtp-pass-9876')
      return callback(null, { user: 1 });
    callback(new Error('Invalid username or password'));
  },
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith('nobody@'))
      return callback(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
    if (address.address.startsWith('busy@'))
      return callback(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
    callback();
  },
  onData(stream, _session, callback) {
    simpleParser(stream).then(
      (mail) => {
        received.push(mail);
        callback();
      },
      (err: Error) => callback(err),
    );
  },
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.server.address() as AddressInfo).port;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const account: SmtpAccount = {
  host: '127.0.0.1',
  port,
  security: 'none',
  username: 'collection',
  password: 'smtp-pass-9876',
  from: 'collection@bank.ir',
};
let id = 500;
const email = (
  address: string,
  text = 'جناب آقای رضایی، قسط تسهیلات ۱۲۳۴ شما ۵ روز معوق است.',
): OutgoingMessage => ({
  localId: `${id++}-1`,
  channel: 'email',
  address,
  text,
});

describe('e-mail through SMTP (issue 6 point 5)', () => {
  it('delivers each message to the bank’s mail server, Persian text intact, with a Message-ID of its own', async () => {
    const mail = smtpAdapter(account);
    const batch = [email('maryam@example.ir'), email('ali@example.ir', 'متن دوم با ارقام ۰۹۱۲')];
    const results = await mail.send(batch);
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
    for (const [i, m] of batch.entries()) {
      const got = received.find((r) => r.messageId?.includes(`notification-${m.localId}@bank.ir`));
      expect(got).toBeDefined();
      expect(got!.subject).toBe(EMAIL_SUBJECT);
      expect(got!.text?.trim()).toBe(m.text);
      expect(got!.from?.text).toBe('collection@bank.ir');
      expect(results[i]).toMatchObject({ providerId: got!.messageId });
    }
    // SMTP reports nothing further: taken by the bank's mail server is delivered
    const ids = results.map((r) => (r.outcome === 'accepted' ? r.providerId : ''));
    expect((await mail.status(ids)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
  });

  it('a recipient the server refuses (550) fails alone; a temporary refusal (451) is tried again later', async () => {
    const results = await smtpAdapter(account).send([
      email('nobody@example.ir'),
      email('busy@example.ir'),
      email('reza@example.ir'),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'retry', 'accepted']);
    expect(results[0]).toMatchObject({ error: expect.stringContaining('no such mailbox') as string });
  });

  it('a refused login needs an administrator; a server not answering pauses the channel', async () => {
    const wrong = await smtpAdapter({ ...account, password: 'wrong' })
      .send([email('maryam@example.ir')])
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ProviderDownError);
    expect((wrong as ProviderDownError).options.needsAdmin).toBe(true);
    const closed = await smtpAdapter({ ...account, port: 1, timeoutMs: 2000 })
      .send([email('maryam@example.ir')])
      .catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(ProviderDownError);
    expect((closed as ProviderDownError).options.needsAdmin).toBeFalsy();
  });

  it('«آزمایش اتصال» logs in and says what the server answered', async () => {
    expect(await checkSmtpAccount(account)).toEqual({
      ok: true,
      message: 'سرور پست الکترونیک 127.0.0.1 اتصال و ورود را پذیرفت',
    });
    expect(await checkSmtpAccount({ ...account, password: 'wrong' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Invalid username or password') as string,
    });
  });
});
