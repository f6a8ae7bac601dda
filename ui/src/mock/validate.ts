// Mirrors the rules in DESIGN.md closely enough for the fake backend; the real checks live in
// lodestar-protocol.
import type { FieldErrors, ProfileEdit, RegisterForm } from '../lib/ipc/bindings';

const STATES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP'.split(' '),
);

function len(errors: FieldErrors, field: string, v: string | null, min: number, max: number) {
  if (v === null || v === '') return;
  if (v.length < min) errors[field] = 'too_short';
  else if (v.length > max) errors[field] = 'too_long';
}

function age(dob: string): number | null {
  const d = new Date(dob + 'T00:00:00');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || Number.isNaN(d.getTime())) return null;
  const now = new Date();
  let a = now.getFullYear() - d.getFullYear();
  if (now.getMonth() < d.getMonth() || (now.getMonth() === d.getMonth() && now.getDate() < d.getDate())) a--;
  return a;
}

type Common = Omit<RegisterForm, 'password'>;

function common(f: Common, errors: FieldErrors) {
  if (!f.username) errors.username = 'required';
  else if (f.username.length < 3) errors.username = 'too_short';
  else if (f.username.length > 16) errors.username = 'too_long';
  else if (!/^[a-z0-9_.]+$/.test(f.username)) errors.username = 'invalid';
  if (!f.email) errors.email = 'required';
  else if (f.email.length > 100) errors.email = 'too_long';
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email)) errors.email = 'invalid';
  if (!f.date_of_birth) errors.date_of_birth = 'required';
  else {
    const a = age(f.date_of_birth);
    if (a === null) errors.date_of_birth = 'invalid';
    else if (a < 13) errors.date_of_birth = 'too_young';
  }
  if (f.phone_number && !/^\+[1-9]\d{1,14}$/.test(f.phone_number)) errors.phone_number = 'invalid';
  len(errors, 'city', f.city, 1, 26);
  if (f.state && !STATES.has(f.state)) errors.state = 'invalid';
  len(errors, 'bio', f.bio, 0, 2000);
  len(errors, 'job_title', f.job_title, 0, 100);
  len(errors, 'industry', f.industry, 0, 100);
  const y = f.years_of_experience;
  if (y !== null && (!Number.isInteger(y) || y < 0 || y > 70)) errors.years_of_experience = 'out_of_range';
  for (const k of ['skills', 'interests'] as const) {
    if (f[k].length > 30) errors[k] = 'too_many';
    else if (f[k].some((t) => t.length < 1 || t.length > 40)) errors[k] = 'invalid';
  }
}

export function checkRegister(f: RegisterForm): FieldErrors {
  const errors: FieldErrors = {};
  common(f, errors);
  if (!f.password) errors.password = 'required';
  else if (f.password.length < 10) errors.password = 'too_short';
  else if (f.password.length > 128) errors.password = 'too_long';
  else if (f.password === f.username || f.password === f.email) errors.password = 'same_as_login';
  return errors;
}

export function checkProfile(e: ProfileEdit): FieldErrors {
  const errors: FieldErrors = {};
  const n = (s: string) => (s === '' ? null : s);
  common({ ...e, phone_number: n(e.phone_number), city: n(e.city), state: n(e.state), bio: n(e.bio), job_title: n(e.job_title), industry: n(e.industry) }, errors);
  const url = e.profile_picture_url;
  if (url && (url.length > 255 ? (errors.profile_picture_url = 'too_long') : !/^https?:\/\/\S+$/.test(url))) {
    errors.profile_picture_url ??= 'invalid';
  }
  return errors;
}
