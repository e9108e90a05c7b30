/**
 * The words of the one-time code message, in the language of the application's locale (its
 * customers'): the languages of the seeds' clients, English otherwise.
 */
import { messageLocale } from '../notifications/message-locale.ts';

interface CodeWords {
  subject: string;
  text(code: string, minutes: number): string;
}

const WORDS: Record<string, CodeWords> = {
  en: {
    subject: 'Your verification code',
    text: (code, minutes) => `Your verification code is ${code}. It is valid for ${minutes} minutes.`,
  },
  de: {
    subject: 'Ihr Bestätigungscode',
    text: (code, minutes) => `Ihr Bestätigungscode lautet ${code}. Er ist ${minutes} Minuten gültig.`,
  },
  fr: {
    subject: 'Votre code de vérification',
    text: (code, minutes) => `Votre code de vérification est ${code}. Il est valable ${minutes} minutes.`,
  },
  nl: {
    subject: 'Uw verificatiecode',
    text: (code, minutes) => `Uw verificatiecode is ${code}. Deze is ${minutes} minuten geldig.`,
  },
  es: {
    subject: 'Su código de verificación',
    text: (code, minutes) => `Su código de verificación es ${code}. Es válido durante ${minutes} minutos.`,
  },
  it: {
    subject: 'Il tuo codice di verifica',
    text: (code, minutes) => `Il tuo codice di verifica è ${code}. È valido per ${minutes} minuti.`,
  },
};

/** The subject and text of a code message for an application of this locale (null or unreadable: English). */
export function codeMessage(locale: string | null, code: string, minutes: number): { subject: string; text: string } {
  const language = new Intl.Locale(messageLocale(locale)).language;
  const words = WORDS[language] ?? WORDS.en;
  return { subject: words.subject, text: words.text(code, minutes) };
}
