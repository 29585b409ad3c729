/** A versioned offer: extend, counter, revise, accept naming the version; the candidate is
 * then HIRED and gone from search (operations/offers.graphql). */
import {
  AcceptOfferDocument,
  CounterOfferDocument,
  ExtendOfferDocument,
  MyProfileDocument,
  ReviseOfferDocument,
  type OfferFieldsFragment,
  type UserErrorFieldsFragment,
} from "../generated/graphql.js";
import { check, need, noUserErrors, type Step } from "../world.js";
import { search } from "./search.js";

function offerOf(payload: { offer: OfferFieldsFragment | null; userErrors: ReadonlyArray<UserErrorFieldsFragment> }) {
  noUserErrors(payload.userErrors);
  return need(payload.offer, "offer");
}

function describe(offer: OfferFieldsFragment): string {
  const terms = offer.currentVersion;
  return `${offer.status} v${offer.versionNumber} by ${terms.authorSide}: ${terms.salary.amount} ${terms.salary.currency}, ${terms.remotePreference}`;
}

export const offerSteps: Step[] = [
  {
    name: "extendOffer",
    async run(world) {
      const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
      const offer = offerOf(
        (
          await world.api.request(
            ExtendOfferDocument,
            {
              input: {
                conversationId: need(world.conversationId, "conversationId"),
                terms: {
                  title: "Senior Backend Engineer",
                  salary: { amount: 95000, currency: "EUR", period: "YEAR" },
                  remotePreference: "HYBRID",
                  location: "Berlin",
                  expiresAt,
                },
              },
            },
            need(world.employer, "employer").token,
          )
        ).extendOffer,
      );
      check(offer.status === "SENT" && offer.versionNumber === 1, describe(offer));
      world.offerId = offer.id;
      return describe(offer);
    },
  },
  {
    name: "counterOffer",
    async run(world) {
      const offer = offerOf(
        (
          await world.api.request(
            CounterOfferDocument,
            {
              input: {
                offerId: need(world.offerId, "offerId"),
                versionNumber: 1,
                terms: { salary: { amount: 105000, currency: "EUR", period: "YEAR" }, remotePreference: "REMOTE" },
              },
            },
            need(world.candidate, "candidate").token,
          )
        ).counterOffer,
      );
      const changed = offer.currentVersion.changedFields.join(",");
      check(offer.status === "COUNTERED" && offer.versionNumber === 2 && changed === "SALARY_AMOUNT,REMOTE_PREFERENCE", `${describe(offer)} ${changed}`);
      return `${describe(offer)}; changed ${changed}`;
    },
  },
  {
    name: "reviseOffer",
    async run(world) {
      const offer = offerOf(
        (
          await world.api.request(
            ReviseOfferDocument,
            {
              input: {
                offerId: need(world.offerId, "offerId"),
                versionNumber: 2,
                terms: { salary: { amount: 102000, currency: "EUR", period: "YEAR" }, remotePreference: "HYBRID" },
              },
            },
            need(world.employer, "employer").token,
          )
        ).reviseOffer,
      );
      check(offer.status === "SENT" && offer.versionNumber === 3, describe(offer));
      return describe(offer);
    },
  },
  {
    name: "acceptOffer naming an old version",
    async run(world) {
      const { acceptOffer } = await world.api.request(
        AcceptOfferDocument,
        { input: { offerId: need(world.offerId, "offerId"), versionNumber: 2 } },
        need(world.candidate, "candidate").token,
      );
      const codes = acceptOffer.userErrors.map((e) => e.code);
      check(acceptOffer.offer === null && codes.join() === "STALE_VERSION", `acceptOffer ${JSON.stringify(acceptOffer)}`);
      return codes.join();
    },
  },
  {
    name: "acceptOffer with versionNumber",
    async run(world) {
      const { acceptOffer } = await world.api.request(
        AcceptOfferDocument,
        { input: { offerId: need(world.offerId, "offerId"), versionNumber: 3 } },
        need(world.candidate, "candidate").token,
      );
      const offer = offerOf(acceptOffer);
      const history = need(acceptOffer.offer, "offer").versions.map((v) => `${v.number}:${v.authorSide}`).join(" ");
      check(offer.status === "ACCEPTED" && history === "1:COMPANY 2:CANDIDATE 3:COMPANY", `${describe(offer)} ${history}`);
      return `${describe(offer)}; versions ${history}`;
    },
  },
  {
    name: "candidate is HIRED",
    async run(world) {
      const { myProfile } = await world.api.request(MyProfileDocument, {}, need(world.candidate, "candidate").token);
      check(myProfile.openToWork === "HIRED", `openToWork ${myProfile.openToWork}`);
      return myProfile.openToWork;
    },
  },
  {
    name: "a new search no longer finds her",
    async run(world) {
      const page = await search(world, { first: 20 });
      const ids = page.edges.map((e) => e.node.profileId);
      check(page.totalCount === 1 && ids.length === 1 && ids[0] === world.otherProfileId, `found ${ids}`);
      return `totalCount ${page.totalCount} (the other candidate)`;
    },
  },
];
