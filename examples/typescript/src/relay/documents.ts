/**
 * Relay-style documents, compiled by relay-compiler (`npm run codegen`) into
 * `./__generated__/*.graphql.ts`. This file is only read by the compiler: `check.ts`
 * imports the generated artifacts (no Babel plugin needed).
 *
 * - search with `@connection` (results and the profiles behind them, in one store);
 * - a conversation's messages with `@connection`;
 * - a `@refetchable` Profile fragment (its refetch query goes through `node(id:)`).
 */
import { graphql } from "relay-runtime";

export const profileFragment = graphql`
  fragment RelayProfile_profile on Profile @refetchable(queryName: "RelayProfileRefetchQuery") {
    id
    headline
    skills {
      id
      name
      level
    }
  }
`;

export const searchQuery = graphql`
  query RelaySearchQuery($query: String, $filter: SearchFilterInput, $first: Int, $after: String) {
    searchCandidates(query: $query, filter: $filter, first: $first, after: $after)
      @connection(key: "RelaySearch_searchCandidates", filters: ["query", "filter"]) {
      totalCount
      edges {
        score
        node {
          id
          profileId
          headline
          profile {
            id
            headline
            ...RelayProfile_profile
          }
        }
      }
    }
  }
`;

export const conversationQuery = graphql`
  query RelayConversationQuery($id: ID!, $first: Int, $after: String) {
    conversation(id: $id) {
      id
      status
      candidate {
        id
        displayName
      }
      messages(first: $first, after: $after) @connection(key: "RelayConversation_messages") {
        edges {
          node {
            id
            body
            senderSide
            sender {
              id
              displayName
            }
          }
        }
      }
    }
  }
`;
