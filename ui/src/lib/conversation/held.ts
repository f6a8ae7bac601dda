/** What a held message's reason code means, as the end of "it contains …" (the CLI says the same). */
export function heldWords(reason: string): string {
  switch (reason) {
    case 'email': return 'an email address';
    case 'phone': return 'a phone number';
    case 'link': return 'a link';
    default: return 'contact details';
  }
}
