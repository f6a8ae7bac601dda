import type { Me, ProfileEdit } from '../ipc';

export function editFromMe(me: Me): ProfileEdit {
  return {
    username: me.username,
    email: me.email,
    phone_number: me.phone_number ?? '',
    date_of_birth: me.date_of_birth,
    city: me.city ?? '',
    state: me.state ?? '',
    profile_picture_url: me.profile_picture_url ?? '',
    bio: me.bio ?? '',
    mentor_status: me.mentor_status,
    mentee_status: me.mentee_status,
    job_title: me.job_title ?? '',
    years_of_experience: me.years_of_experience,
    industry: me.industry ?? '',
    skills: [...me.skills],
    interests: [...me.interests],
    mentee_capacity: me.mentee_capacity,
    accepting_requests: me.accepting_requests,
  };
}

/** The years input holds text; an unparsable value becomes -1 so the core reports it. */
export function parseYears(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isInteger(n) ? n : -1;
}
