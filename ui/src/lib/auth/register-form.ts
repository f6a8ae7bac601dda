import type { RegisterForm } from '../ipc';

/** What the sign-up inputs hold: strings everywhere, so inputs can bind to them. */
export type RegisterInputs = {
  username: string; email: string; password: string; date_of_birth: string; phone_number: string;
  city: string; state: string; bio: string; mentor_status: boolean; mentee_status: boolean;
  job_title: string; years_of_experience: string; industry: string; skills: string[]; interests: string[];
};

export function emptyInputs(): RegisterInputs {
  return {
    username: '', email: '', password: '', date_of_birth: '', phone_number: '', city: '', state: '',
    bio: '', mentor_status: false, mentee_status: true, job_title: '', years_of_experience: '',
    industry: '', skills: [], interests: [],
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function toRegisterForm(i: RegisterInputs): RegisterForm {
  const years = i.years_of_experience.trim();
  return {
    username: i.username.trim(),
    email: i.email.trim(),
    password: i.password,
    date_of_birth: i.date_of_birth,
    phone_number: orNull(i.phone_number),
    city: orNull(i.city),
    state: orNull(i.state.toUpperCase()),
    bio: orNull(i.bio),
    mentor_status: i.mentor_status,
    mentee_status: i.mentee_status,
    job_title: orNull(i.job_title),
    // A non-number goes through as NaN→null would hide the mistake; -1 makes the core say "out_of_range".
    years_of_experience: years === '' ? null : Number.isFinite(Number(years)) ? Number(years) : -1,
    industry: orNull(i.industry),
    skills: [...i.skills],
    interests: [...i.interests],
  };
}
