/** The candidate makes her profile findable (operations/profiles.graphql), and a second
 * candidate does the same so that search has two results to page through. */
import {
  AddSkillDocument,
  ConfirmAvailabilityDocument,
  UpdateMyProfileDocument,
  type UpdateMyProfileInput,
} from "../generated/graphql.js";
import { check, need, noUserErrors, type Account, type Step, type World } from "../world.js";
import { logIn, signUp } from "./accounts.js";

/** A word only this run's profiles contain, so searches ignore everyone else on the server. */
export function runWord(world: World): string {
  return `run${world.runId}`;
}

async function updateProfile(world: World, account: Account, input: UpdateMyProfileInput): Promise<string> {
  const { updateMyProfile } = await world.api.request(UpdateMyProfileDocument, { input }, account.token);
  noUserErrors(updateMyProfile.userErrors);
  const profile = need(updateMyProfile.profile, "updateMyProfile.profile");
  check(profile.visibility === input.visibility && profile.openToWork === input.openToWork, `profile ${JSON.stringify(profile)}`);
  return profile.id;
}

async function addSkill(world: World, account: Account, name: string, level: number, years?: number): Promise<string> {
  const { addSkill } = await world.api.request(AddSkillDocument, { input: { name, level, years } }, account.token);
  noUserErrors(addSkill.userErrors);
  const skill = need(addSkill.skill, "addSkill.skill");
  check(skill.name === name && skill.level === level, `skill ${JSON.stringify(skill)}`);
  return `${skill.name} ${skill.level}`;
}

async function confirmAvailability(world: World, account: Account): Promise<string> {
  const { confirmAvailability } = await world.api.request(ConfirmAvailabilityDocument, {}, account.token);
  noUserErrors(confirmAvailability.userErrors);
  const profile = need(confirmAvailability.profile, "confirmAvailability.profile");
  check(profile.availabilityConfirmedAt !== null && !profile.stale, `profile ${JSON.stringify(profile)}`);
  return profile.availabilityConfirmedAt;
}

export const profileSteps: Step[] = [
  {
    name: "candidate logs in again",
    async run(world) {
      await logIn(world, need(world.candidate, "candidate"));
      return "new token";
    },
  },
  {
    name: "updateMyProfile",
    async run(world) {
      const candidate = need(world.candidate, "candidate");
      world.profileId = await updateProfile(world, candidate, {
        headline: `Backend engineer ${runWord(world)}`,
        summary: "Eight years of Python services and PostgreSQL.",
        visibility: "EMPLOYERS",
        openToWork: "ACTIVELY_LOOKING",
        city: "Berlin",
        countryCode: "DE",
        desiredSalaryMin: 85000,
        desiredSalaryMax: 110000,
        desiredSalaryCurrency: "EUR",
        desiredSalaryPeriod: "YEAR",
      });
      return "EMPLOYERS, ACTIVELY_LOOKING, 85000-110000 EUR a year";
    },
  },
  {
    name: "addSkill x2",
    async run(world) {
      const candidate = need(world.candidate, "candidate");
      const skills = [await addSkill(world, candidate, "Python", 5, 8), await addSkill(world, candidate, "PostgreSQL", 4)];
      return skills.join(", ");
    },
  },
  {
    name: "confirmAvailability",
    async run(world) {
      return await confirmAvailability(world, need(world.candidate, "candidate"));
    },
  },
  {
    name: "second candidate (anonymous, OPEN) for paging",
    async run(world) {
      const other = await signUp(world, "CANDIDATE", undefined, "candidate2");
      world.otherCandidate = other;
      world.otherProfileId = await updateProfile(world, other, {
        headline: `Data engineer ${runWord(world)}`,
        visibility: "EMPLOYERS",
        openToWork: "OPEN",
        anonymous: true,
        countryCode: "DE",
      });
      await addSkill(world, other, "Python", 3);
      await confirmAvailability(world, other);
      return other.email;
    },
  },
];
