#!/usr/bin/env python3
"""Writes api/openapi.json (OpenAPI 3.1). The JSON file is what the server embeds and serves;
this script is how it is kept consistent. Run: python3 api/tools/make_openapi.py"""
import json
import os

crit = ["rsa", "ass", "aah", "detld", "jeune", "senior", "ase", "deld", "rqth", "parent_isole",
        "sans_hebergement", "refugie", "qpv", "zrr", "sortant_detention", "niveau_formation",
        "francais_a1", "mobilite", "salarie_siae"]
date = {"type": "string", "format": "date", "examples": ["2026-11-23"]}
ref = lambda name: {"$ref": "#/components/schemas/" + name}
point = {"type": ["object", "null"], "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
         "required": ["lat", "lon"]}

schemas = {
    "Problem": {
        "type": "object", "description": "RFC 9457 problem details.",
        "properties": {
            "type": {"type": "string", "format": "uri", "examples": ["urn:clausematch:problem:validation"]},
            "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
            "instance": {"type": "string", "examples": ["urn:clausematch:request:4f2a9c0e11d3b7a5"]},
            "request_id": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "pointer": {"type": "string", "description": "JSON pointer into the request body (for CSV: /<line>/<column>)"},
                "parameter": {"type": "string", "description": "query parameter at fault"},
                "code": {"type": "string"}, "detail": {"type": "string"}}}}},
        "required": ["type", "title", "status", "detail", "instance"]},
    "CriterionProof": {"type": "object", "properties": {
        "criterion": {"type": "string", "enum": crit}, "proof_date": date, "validated_by": {"type": "string"}},
        "required": ["criterion"]},
    "Participant": {
        "type": "object", "description": "A participant's full profile (prescriber and admin only). Shapes follow docs/formats.md.",
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "external_ref": {"type": "string"}, "prescriber_org": {"type": "string"},
            "prescriber_kind": {"type": "string", "enum": ["france_travail", "mission_locale", "cap_emploi", "plie",
                                                           "departement", "spip", "ase", "ccas", "siae", "autre"]},
            "first_name": {"type": "string"}, "last_name": {"type": "string"}, "birth_date": date,
            "sex": {"type": "string", "enum": ["femme", "homme", "non_renseigne"], "default": "non_renseigne",
                    "description": "optional (absent: non_renseigne); for funders' reports only, never read "
                                   "by matching or scores"},
            "email": {"type": "string"}, "phone": {"type": "string"},
            "criteria": {"type": "array", "items": ref("CriterionProof")},
            "diagnosis_date": date,
            "derogation": {"type": "object", "properties": {"granted_on": date, "granted_by": {"type": "string"},
                                                            "reason": {"type": "string"}}},
            "commune_insee": {"type": "string", "pattern": "^([0-9]{5}|2[AB][0-9]{3})$"},
            "location": point,
            "mobility_radius_km": {"type": "number", "minimum": 2, "maximum": 100},
            "mobility_mode": {"type": "string", "enum": ["voiture", "transports_en_commun", "deux_roues", "velo", "marche"]},
            "licences": {"type": "array", "items": {"type": "string", "enum": ["AM", "A", "B", "BE", "C", "CE", "D", "DE", "CACES"]}},
            "wanted_appellations": {"type": "array", "items": {"type": "integer"}},
            "wanted_fiches": {"type": "array", "items": {"type": "string", "pattern": "^[A-N][0-9]{4}$"}},
            "skills": {"type": "array", "items": {"type": "integer"}},
            "available_from": date, "weekly_hours_wanted": {"type": "number", "maximum": 48},
            "status": {"type": "string", "enum": ["active", "placed", "suspended", "withdrawn"], "readOnly": True},
            "consent": {"type": "boolean"}, "consent_date": date, "registration_date": date,
            "last_proposal_date": {**date, "readOnly": True}, "open_proposals": {"type": "integer", "readOnly": True}},
        "required": ["first_name", "last_name", "birth_date", "commune_insee", "available_from", "registration_date"]},
    "ParticipantBatch": {"type": "object", "properties": {
        "prescriber_org": {"type": "string", "description": "admin only: the organisation the batch is for"},
        "participants": {"type": "array", "minItems": 1, "maxItems": 1000, "items": ref("Participant")}},
        "required": ["participants"]},
    "ParticipantsCreated": {"type": "object", "properties": {
        "created": {"type": "integer"}, "items": {"type": "array", "items": ref("Participant")}}},
    "Quota": {"type": "object", "properties": {"public": {"type": "string", "enum": crit},
                                               "min_positions": {"type": "integer"}, "min_share": {"type": "number"}}},
    "Contract": {
        "type": "object", "properties": {
            "id": {"type": "integer", "readOnly": True}, "reference": {"type": "string"}, "title": {"type": "string"},
            "buyer": {"type": "string"}, "facilitator_org": {"type": "string"}, "holder": {"type": "string"},
            "holder_siret": {"type": "string"}, "cpv_code": {"type": "string"},
            "amount_excl_vat_eur": {"type": "number"}, "start": date, "end": date,
            "worksite_insee": {"type": "string"}, "worksite_location": point,
            "clause_type": {"type": "string", "enum": ["condition_execution", "critere_attribution", "marche_reserve_siae",
                                                       "marche_reserve_handicap", "marche_insertion"]},
            "legal_basis": {"type": "string", "readOnly": True},
            "accepted_publics": {"type": "array", "items": {"type": "string", "enum": crit}},
            "accepts_derogation": {"type": "boolean"},
            "priority_publics": {"type": "array", "items": {"type": "string", "enum": crit}},
            "qpv_only": {"type": "boolean"}, "iae_level2_required": {"type": "integer"},
            "sizing": {"type": "object", "properties": {"labour_share": {"type": "number"}, "insertion_rate": {"type": "number"},
                                                        "hourly_cost_eur": {"type": "number"}}},
            "insertion_hours": {"type": "number"}, "quotas": {"type": "array", "items": ref("Quota")},
            "status": {"type": "string", "enum": ["draft", "open", "closed"]}},
        "required": ["reference", "buyer", "start", "end", "worksite_insee"]},
    "Opening": {
        "type": "object", "properties": {
            "id": {"type": "integer", "readOnly": True}, "contract": {"type": "integer"},
            "appellation": {"type": "integer", "description": "ROME 4.0 appellation (code OGR)"},
            "fiche": {"type": "string", "readOnly": True}, "positions": {"type": "integer", "minimum": 1},
            "weekly_hours": {"type": "number"}, "start": date, "end": date, "worksite_insee": {"type": "string"},
            "worksite_location": point,
            "contract_type": {"type": "string", "enum": ["cdd", "cdi", "cddi", "interim_etti", "interim", "geiq",
                                                         "mise_a_disposition_ai", "apprentissage", "professionnalisation"]},
            "required_licences": {"type": "array", "items": {"type": "string"}},
            "required_skills": {"type": "array", "items": {"type": "integer"}},
            "max_distance_km": {"type": "number"},
            "status": {"type": "string", "enum": ["draft", "open", "filled", "closed"]}},
        "required": ["appellation", "start", "end"]},
    "Candidate": {
        "type": "object", "description": "What a facilitator sees of a person (docs/privacy.md).",
        "properties": {
            "participant_id": {"type": "integer"}, "display_name": {"type": "string", "examples": ["Inès D."]},
            "prescriber_org": {"type": "string"}, "prescriber_kind": {"type": "string"},
            "commune_insee": {"type": "string"}, "commune_name": {"type": "string"},
            "eligible_by": {"type": "array", "items": {"type": "string", "enum": crit},
                            "description": "only the criteria the eligibility for this clause rests on"},
            "licences": {"type": "array", "items": {"type": "string"}}, "mobility_mode": {"type": "string"},
            "available_from": date, "weekly_hours_wanted": {"type": "number"}}},
    "BatchRequest": {"type": "object", "properties": {
        "org": {"type": "string", "description": "admin only"},
        "contracts": {"type": "array", "items": {"type": "integer"}, "description": "default: every open contract of the organisation"},
        "as_of": {**date, "description": "date eligibility is judged at; default: the server's date (serve --today, else today)"},
        "mode": {"type": "string", "enum": ["fill-then-score", "score"], "default": "fill-then-score",
                 "description": "fill-then-score: most positions filled, then best total score; score: best total score"},
        "max_candidates": {"type": "integer", "minimum": 0, "maximum": 100000, "default": 1000,
                           "description": "candidates kept per opening in the candidate graph (0 = every eligible one)"},
        "priority_weights": {"type": "object", "propertyNames": {"enum": crit},
                             "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
                             "description": "what each public earns as a priority public of a contract: the score's "
                                            "priority component is the largest weight among the pair's priority "
                                            "publics; 1 for every criterion unless given (docs/scoring.md)",
                             "examples": [{"rsa": 1, "jeune": 0.5, "ase": 0.5}]},
        "previous": {"type": "boolean", "default": False,
                     "description": "start from the organisation's last succeeded run (its kept state): only new or "
                                    "changed openings are scanned, the same certified optimum as a cold run; without "
                                    "a usable one the run is cold and summary.incremental says why "
                                    "(docs/assignment.md, Incremental runs)"}}},
    "Batch": {"type": "object", "properties": {
        "id": {"type": "integer"}, "org": {"type": "string"},
        "state": {"type": "string", "enum": ["queued", "running", "succeeded", "failed"]},
        "progress": {"type": "number", "minimum": 0, "maximum": 1},
        "params": {"type": "object", "description": "the request, resolved: contracts, as_of, mode, max_candidates, priority_weights (the ones changed), previous (when true)"},
        "summary": {"oneOf": [ref("BatchSummary"), {"type": "null"}], "description": "when succeeded: positions, filled, total_score, certificate, quotas, by public and trade, subject to renewal, unassigned and why (as clausematch batch's summary.json)"},
        "error": {"type": ["string", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "started_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "results": {"type": "string", "description": "path of the proposals"}}},
    "Proposal": {"type": "object", "properties": {
        "id": {"type": "integer"}, "batch_id": {"type": "integer"}, "opening_id": {"type": "integer"},
        "participant_id": {"type": "integer"}, "score": {"type": "number"},
        "details": ref("ProposalDetails"),
        "candidate": {"oneOf": [ref("Candidate"), {"type": "null"}]},
        "decision": {"type": "string", "enum": ["pending", "accepted", "declined"]},
        "decided_by": {"type": ["string", "null"]}, "decided_at": {"type": ["string", "null"]},
        "decision_reason": {"type": ["string", "null"]}}},
    "Decision": {"type": "object", "description": "An acceptance is checked like any hire (service/placements.hpp): "
                 "the opening is open with a free position, the person is active and free over its dates; "
                 "409 otherwise. The placement takes the opening's terms unless these are given.", "properties": {
        "decision": {"type": "string", "enum": ["accepted", "declined"]},
        "reason": {"type": "string", "maxLength": 1000},
        "contract_type": {"type": "string"}, "route": {"type": "string"},
        "employer": {"type": "string", "maxLength": 200}, "employer_siret": {"type": "string", "maxLength": 14},
        "hire_date": {**date, "description": "default max(today, opening start); the person must count for the clause then"}},
        "required": ["decision"]},
    "Condition": {"type": "object", "description": "Something that must happen before the hire for an eligibility "
                  "subject to renewal to hold: bring a fresh proof of the criterion (valid today, lapsing before the "
                  "hire date) by renew_by, the hire date (docs/scoring.md). Rendered once (api/json/batch_json.hpp "
                  "ConditionsJson) for shortlists, proposals and renewals.", "properties": {
        "code": {"type": "string", "enum": ["proof_to_renew"]},
        "criterion": {"type": "string", "enum": crit},
        "renew_by": {**date, "description": "the hire date: the fresh proof must be dated no later"},
        "text": {"type": "string", "examples": ["justificatif « Bénéficiaire du RSA » à actualiser avant l'embauche du 05/03/2027"]}},
        "required": ["code", "criterion", "renew_by", "text"]},
    "ProposalDetails": {"type": "object", "description": "One proposal as clausematch batch writes it in assignments.json.",
                        "properties": {
        "opening_id": {"type": "integer"}, "contract_id": {"type": "integer"}, "appellation": {"type": "integer"},
        "fiche": {"type": "string"}, "participant_id": {"type": "integer"}, "score": {"type": "number"},
        "components": ref("ScoreComponents"), "distance_km": {"type": "number"},
        "basis": {"type": "string", "enum": ["clause_public", "iae_level1", "iae_level2", "derogation"]},
        "eligible_by": {"type": "array", "items": {"type": "string", "enum": crit}},
        "priority_public": {"type": ["string", "null"], "enum": crit + [None],
                            "description": "the public that earned the priority component; null when none, or when "
                                           "the eligibility does not rest on it"},
        "hire_date": {**date, "description": "the date eligibility is judged at: max(as_of, opening start)"},
        "conditions": {"type": "array", "items": ref("Condition"),
                       "description": "proofs to renew before the hire; empty when eligible without condition"},
        "reasons": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "text": {"type": "string"}}}}}},
    "QuotaLine": {"type": "object", "properties": {
        "contract_index": {"type": "integer"}, "contract_id": {"type": "integer"}, "reference": {"type": "string"},
        "public": {"type": "string", "enum": crit}, "required": {"type": "integer"}, "achieved": {"type": "integer"},
        "achieved_provisionally": {"type": "integer", "description": "of achieved, people whose proof of the public "
                                   "must be renewed before the hire (counted provisionally)"},
        "shortfall": {"type": "integer"}, "public_candidates": {"type": "integer"},
        "taken_by_other_quotas": {"type": "integer"}, "taken_elsewhere": {"type": "integer"},
        "positions": {"type": "integer"}, "positions_left": {"type": "integer"},
        "explanation": {"type": "string", "description": "why, in one French sentence"}}},
    "BatchSummary": {"type": "object", "description": "clausematch batch's summary.json (docs/assignment.md).", "properties": {
        "today": date, "status": {"type": "string"}, "certificate": {"type": "string"}, "mode": {"type": "string"},
        "solver": {"type": "string"}, "participants": {"type": "integer"}, "openings": {"type": "integer"},
        "positions": {"type": "integer"}, "filled": {"type": "integer"}, "total_score": {"type": "number"},
        "candidate_pairs": {"type": "integer"}, "pairs_in_reach": {"type": "integer"},
        "pairs_eligible": {"type": "integer"}, "mean_distance_km": {"type": "number"},
        "filled_by_public": {"type": "object", "additionalProperties": {"type": "integer"},
                             "description": "criterion -> proposals whose person has it at the hire date (valid, or "
                                            "provisionally: a proof to renew before the hire)"},
        "filled_by_public_provisional": {"type": "object", "additionalProperties": {"type": "integer"},
                                         "description": "of filled_by_public, those counted provisionally; priority "
                                                        "and quotas counted them too"},
        "subject_to_renewal": {"type": "object", "properties": {
            "proposals": {"type": "integer", "description": "proposals eligible subject to renewal"},
            "by_criterion": {"type": "object", "additionalProperties": {"type": "integer"},
                             "description": "conditions by criterion"}}},
        "by_trade": {"type": "array", "items": {"type": "object"}},
        "quotas": {"type": "array", "items": ref("QuotaLine")},
        "optimality": {"type": "object", "description": "method, objective, bound, gap, relative_gap, proven_optimal, "
                       "quota_shortfall, quota_shortfall_proven_least, side_groups, solves, branch_nodes (docs/assignment.md)"},
        "unassigned": {"type": "object", "additionalProperties": {"type": "integer"}},
        "incremental": {"type": "object", "description": "how the run used a previous one (docs/assignment.md, "
                        "Incremental runs)", "properties": {
            "previous": {"type": "string", "enum": ["none", "used", "refused"]},
            "reason": {"type": ["string", "null"], "description": "why the previous run was refused, or, when it was used, why its cuts were not reused (most openings near a changed participant: all scanned)"},
            "previous_batch_id": {"type": ["integer", "null"], "description": "over HTTP: the run whose kept "
                                  "state was taken, used or refused (null when the organisation had none)"},
            "openings_reused": {"type": "integer"}, "openings_new": {"type": "integer"},
            "openings_changed": {"type": "integer"}, "openings_removed": {"type": "integer"},
            "openings_near_changes": {"type": "integer", "description": "unchanged openings scanned again: a "
                                      "participant added, removed or changed may be in their reach (every unchanged one when "
                                      "the cuts were not reused: see reason)"},
            "participants_added": {"type": "integer"}, "participants_removed": {"type": "integer"},
            "participants_changed": {"type": "integer", "description": "their record or their placements "
                                     "(an accepted proposal is one) changed"},
            "solver_start": {"type": "string", "enum": ["cold", "warm"]},
            "solver_note": {"type": ["string", "null"]}}},
        "seconds": {"type": "object", "additionalProperties": {"type": "number"}}}},
    "ScoreComponents": {"type": "object", "description": "Every component in [0, 1], the same keys in shortlists, "
                        "batch proposals and clausematch's files (api/json/batch_json.hpp).",
                        "properties": {k: {"type": "number"} for k in [
                            "rome_relation", "skill_overlap", "skill_embedding", "skill_fit", "distance",
                            "priority", "waiting", "hours", "exposure_penalty", "total"]}},
}


def page(item):
    return {"type": "object", "properties": {"items": {"type": "array", "items": ref(item)},
                                             "next_cursor": {"type": ["string", "null"]}}}


for name in ["Participant", "Contract", "Opening", "Batch", "Proposal"]:
    schemas[name + "Page"] = page(name)

problem = {"application/problem+json": {"schema": ref("Problem")}}
codes = {400: "Malformed request (bad JSON, bad query parameter)", 401: "Missing or invalid API key",
         403: "The role may not use this endpoint", 404: "No such object, or one of another organisation",
         405: "Method not allowed (see Allow)",
         408: "The request header (10 s) or body (30 s) did not arrive in time; the connection closes", 409: "Conflict (duplicate, closed, already decided)",
         411: "Transfer-Encoding (chunked) request body refused", 413: "Body larger than the limit",
         414: "Path or request line too long", 415: "Unsupported media type", 422: "Invalid fields, each as a JSON pointer",
         429: "Rate limit of the API key exceeded (see Retry-After)", 431: "Too many or too large header fields",
         500: "Internal error (nothing leaked; quote the request id)"}
responses = {str(c): {"$ref": "#/components/responses/E%d" % c} for c in codes}
components_responses = {"E%d" % c: {"description": d, "content": problem} for c, d in codes.items()}

common_errors = ["401", "403", "405", "408", "413", "414", "429", "431", "500"]


def errs(*extra):
    return {c: responses[c] for c in common_errors + list(extra)}


def ok(status, desc, schema=None, content_type="application/json", headers=None):
    r = {"description": desc}
    if schema is not None:
        r["content"] = {content_type: {"schema": schema}}
    if headers:
        r["headers"] = headers
    return {str(status): r}


id_param = lambda name, what: {"name": name, "in": "path", "required": True, "description": what + " id",
                               "schema": {"type": "integer", "minimum": 1}}
page_params = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
               {"name": "cursor", "in": "query", "description": "next_cursor of the previous page", "schema": {"type": "string"}}]
idem = {"name": "Idempotency-Key", "in": "header", "required": False,
        "description": "retries with the same key and request get the first response (Idempotent-Replayed: true)",
        "schema": {"type": "string", "maxLength": 255}}
json_body = lambda schema: {"required": True, "content": {"application/json": {"schema": schema}}}
location = {"Location": {"schema": {"type": "string"}}}


def op(op_id, summary, roles, resps, **kw):
    o = {"operationId": op_id, "summary": summary, "description": "Roles: " + ", ".join(roles) + ".",
         "responses": resps}
    o.update(kw)
    return o


P, F, A = "prescriber", "facilitator", "admin"
public = {"security": []}
paths = {
    "/livez": {"get": {"operationId": "livez", "summary": "Liveness", **public,
                       "responses": ok(200, "The process answers", {"type": "object"})}},
    "/readyz": {"get": {"operationId": "readyz", "summary": "Readiness (database reachable, listening)", **public,
                        "responses": {**ok(200, "Ready", {"type": "object"}),
                                      "503": {"description": "Not ready", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics (text format 0.0.4)", **public,
                         "responses": ok(200, "Request counts by route and status, latency histogram, snapshot gauges",
                                         {"type": "string"}, "text/plain")}},
    "/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", **public,
                                 "responses": ok(200, "OpenAPI 3.1", {"type": "object"})}},
    "/v1/participants": {
        "post": op("createParticipants", "Create one participant, a batch (all or nothing) or import a CSV file",
                   [P, A], {**ok(201, "Created (one: the participant; batch or CSV: the list)",
                                 {"oneOf": [ref("Participant"), ref("ParticipantsCreated")]}, headers=location),
                            **errs("400", "409", "411", "415", "422")},
                   parameters=[idem, {"name": "org", "in": "query", "description": "admin CSV import: the organisation",
                                      "schema": {"type": "string"}}],
                   requestBody={"required": True, "content": {
                       "application/json": {"schema": {"oneOf": [ref("Participant"), ref("ParticipantBatch")]}},
                       "text/csv": {"schema": {"type": "string"}, "description": "columns as in docs/formats.md"}}}),
        "get": op("listParticipants", "List the organisation's participants (audited)", [P, A],
                  {**ok(200, "A page", ref("ParticipantPage")), **errs("400")},
                  parameters=page_params + [
                      {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "placed", "suspended", "withdrawn"]}},
                      {"name": "commune_insee", "in": "query", "schema": {"type": "string"}},
                      {"name": "criterion", "in": "query", "schema": {"type": "string", "enum": crit}},
                      {"name": "external_ref", "in": "query", "schema": {"type": "string"}},
                      {"name": "org", "in": "query", "description": "admin only", "schema": {"type": "string"}}])},
    "/v1/participants/renewals": {
        "get": op("listRenewals", "The organisation's participants (admin: all) with a proof to renew before a hire: "
                  "pending proposals, accepted placements and shortlists of open openings, judged today at each "
                  "opening's hire date (service/renewals.hpp; audited)", [P, A],
                  {**ok(200, "The conditions, by renew_by", {"type": "object", "properties": {
                      "today": date, "items": {"type": "array", "items": {"type": "object", "properties": {
                          "participant_id": {"type": "integer"}, "external_ref": {"type": "string"},
                          "prescriber_org": {"type": "string"}, "opening_id": {"type": "integer"},
                          "source": {"type": "string", "enum": ["proposal", "accepted", "shortlist"]},
                          "batch_id": {"type": ["integer", "null"]}, "condition": ref("Condition")}}}}})})},
    "/v1/participants/{id}": {
        "get": op("getParticipant", "Read a participant (audited)", [P, A],
                  {**ok(200, "The participant", ref("Participant")), **errs("404")}, parameters=[id_param("id", "participant")]),
        "put": op("updateParticipant", "Replace a participant's profile (audited)", [P, A],
                  {**ok(200, "Updated", ref("Participant")), **errs("400", "404", "409", "411", "415", "422")},
                  parameters=[id_param("id", "participant")], requestBody=json_body(ref("Participant")))},
    "/v1/participants/{id}/withdraw": {
        "post": op("withdrawParticipant", "Withdraw a participant (never matched again; kept for the record)", [P, A],
                   {**ok(200, "Withdrawn", ref("Participant")), **errs("404")}, parameters=[id_param("id", "participant")])},
    "/v1/contracts": {
        "post": op("createContract", "Create a contract with its clause", [F, A],
                   {**ok(201, "Created", ref("Contract"), headers=location), **errs("400", "411", "415", "422")},
                   parameters=[idem], requestBody=json_body(ref("Contract"))),
        "get": op("listContracts", "List the organisation's contracts", [F, A],
                  {**ok(200, "A page", ref("ContractPage")), **errs("400")},
                  parameters=page_params + [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "open", "closed"]}},
                                            {"name": "org", "in": "query", "description": "admin only", "schema": {"type": "string"}}])},
    "/v1/contracts/{id}": {
        "get": op("getContract", "Read a contract", [F, A], {**ok(200, "The contract", ref("Contract")), **errs("404")},
                  parameters=[id_param("id", "contract")])},
    "/v1/contracts/{id}/close": {
        "post": op("closeContract", "Close a contract and its open openings", [F, A],
                   {**ok(200, "Closed", ref("Contract")), **errs("404")}, parameters=[id_param("id", "contract")])},
    "/v1/contracts/{id}/openings": {
        "post": op("createOpening", "Create an opening on a contract", [F, A],
                   {**ok(201, "Created", ref("Opening"), headers=location), **errs("400", "404", "409", "411", "415", "422")},
                   parameters=[id_param("id", "contract"), idem], requestBody=json_body(ref("Opening"))),
        "get": op("listOpenings", "List a contract's openings", [F, A],
                  {**ok(200, "A page", ref("OpeningPage")), **errs("400", "404")},
                  parameters=[id_param("id", "contract")] + page_params)},
    "/v1/openings/{id}": {
        "get": op("getOpening", "Read an opening", [F, A], {**ok(200, "The opening", ref("Opening")), **errs("404")},
                  parameters=[id_param("id", "opening")])},
    "/v1/openings/{id}/open": {
        "post": op("openOpening", "Open a draft opening (from the clause plan), checked against its contract; an open one "
                   "stays open (the rule of `clausematch opening open`)",
                   [F, A], {**ok(200, "Open", ref("Opening")), **errs("404", "409", "422")},
                   parameters=[id_param("id", "opening")])},
    "/v1/openings/{id}/close": {
        "post": op("closeOpening", "Close an opening", [F, A], {**ok(200, "Closed", ref("Opening")), **errs("404")},
                   parameters=[id_param("id", "opening")])},
    "/v1/batches": {
        "post": op("startBatch", "Start a batch assignment run in the background", [F, A],
                   {**ok(202, "Queued", ref("Batch"), headers=location), **errs("400", "411", "415", "422")},
                   parameters=[idem], requestBody={"required": False, "content": {"application/json": {"schema": ref("BatchRequest")}}}),
        "get": op("listBatches", "List the organisation's runs", [F, A],
                  {**ok(200, "A page", ref("BatchPage")), **errs("400")}, parameters=page_params)},
    "/v1/batches/{id}": {
        "get": op("getBatch", "State and progress of a run", [F, A], {**ok(200, "The run", ref("Batch")), **errs("404")},
                  parameters=[id_param("id", "batch")])},
    "/v1/batches/{id}/proposals": {
        "get": op("listProposals", "A run's proposals with candidate views (audited); format=csv downloads them all", [F, A],
                  {"200": {"description": "A page (JSON) or the whole run (CSV)",
                           "content": {"application/json": {"schema": ref("ProposalPage")},
                                       "text/csv": {"schema": {"type": "string"}}}}, **errs("400", "404")},
                  parameters=[id_param("id", "batch"), {"name": "format", "in": "query",
                                                        "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}] + page_params)},
    "/v1/batches/{id}/proposals/{proposal}/decision": {
        "post": op("decideProposal", "Accept or decline a proposal (final; an accepted one becomes a placement)", [F, A],
                   {**ok(200, "Decided", ref("Proposal")), **errs("400", "404", "409", "411", "415", "422")},
                   parameters=[id_param("id", "batch"), id_param("proposal", "proposal")], requestBody=json_body(ref("Decision")))},
}

if os.environ.get("WITH_SHORTLIST", "1") == "1":
    schemas["ShortlistEntry"] = {"type": "object", "properties": {
        "rank": {"type": "integer"}, "score": {"type": "number"}, "components": ref("ScoreComponents"),
        "basis": {"type": "string", "enum": ["clause_public", "iae_level1", "iae_level2", "derogation"]},
        "conditions": {"type": "array", "items": ref("Condition"),
                       "description": "proofs to renew before the hire; empty when eligible without condition"},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "reason_codes": {"type": "array", "items": {"type": "string"}}, "distance_km": {"type": "number"},
        "same_commune": {"type": "boolean"}, "candidate": ref("Candidate")}}
    schemas["Shortlist"] = {"type": "object", "properties": {
        "opening_id": {"type": "integer"}, "hire_date": date, "k": {"type": "integer"},
        "population": {"type": "integer"}, "in_reach": {"type": "integer"}, "eligible": {"type": "integer"},
        "subject_to_renewal": {"type": "integer", "description": "of the eligible, those subject to renewal"},
        "entries": {"type": "array", "items": ref("ShortlistEntry")},
        "excluded": {"type": "object", "additionalProperties": {"type": "integer"},
                     "description": "people left out, by reason"}}}
    paths["/v1/openings/{id}/shortlist"] = {
        "get": op("getShortlist", "Explained top-k shortlist of eligible candidates for an opening (audited)", [F, A],
                  {**ok(200, "The shortlist", ref("Shortlist")), **errs("400", "404")},
                  parameters=[id_param("id", "opening"), {"name": "k", "in": "query",
                                                          "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}}])}

# Clause lifecycle (api/http/plan_routes.cpp, placement_routes.cpp, report_routes.cpp, siae_routes.cpp;
# docs/lifecycle.md).
ctypes = ["cdd", "cdi", "cddi", "interim_etti", "interim", "geiq", "mise_a_disposition_ai", "apprentissage",
          "professionnalisation", "pec", "cdi_chantier", "esat_soutien"]
routes = ["embauche_directe", "etti", "geiq", "ai", "sous_traitance_siae", "ea", "esat"]
outcome_codes = ["emploi_durable", "emploi_transition", "formation_qualifiante", "autre", "embauche_autre_siae",
                 "autre_sortie_positive", "demandeur_emploi", "inactif", "sans_nouvelles"]
amount = {"type": "object", "description": "set when the hours were converted from a subcontracting amount: "
          "hours = amount_eur × labour_share ÷ hourly_cost_eur (docs/lifecycle.md)", "properties": {
    "amount_eur": {"type": "number"}, "labour_share": {"type": "number"}, "hourly_cost_eur": {"type": "number"}}}
month = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "examples": ["2025-03"]}
schemas["HireTerms"] = {"type": "object", "description": "Defaults: the opening's contract type, the route it implies, "
                        "the contract's holder as employer of a direct hire.", "properties": {
    "contract_type": {"type": "string", "enum": ctypes}, "route": {"type": "string", "enum": routes},
    "employer": {"type": "string", "maxLength": 200}, "employer_siret": {"type": "string", "maxLength": 14},
    "hire_date": {**date, "description": "the actual hire date; default max(today, opening start) (an accepted "
                  "placement's hire: its accepted date); never before the decision, within the opening's dates"}}}
schemas["PlacementRequest"] = {"allOf": [ref("HireTerms"), {"type": "object", "properties": {
    "opening_id": {"type": "integer", "minimum": 1}, "participant_id": {"type": "integer", "minimum": 1}},
    "required": ["opening_id", "participant_id"]}]}
schemas["Placement"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "participant": {"type": "integer"}, "opening": {"type": "integer"},
    "contract": {"type": "integer"},
    "status": {"type": "string", "enum": ["proposed", "accepted", "declined", "hired", "ended"]},
    "contract_type": {"type": "string", "enum": ctypes}, "route": {"type": "string", "enum": routes},
    "employer": {"type": "string"}, "employer_siret": {"type": "string"}, "start": date, "end": date,
    "weekly_hours": {"type": "number"},
    "hours": {"type": "array", "description": "every report, corrections included (append-only history)",
              "items": {"type": "object", "properties": {"year": {"type": "integer"}, "month": {"type": "integer"},
                                                         "hours": {"type": "number"}, "reported_on": date,
                                                         "amount": amount}}},
    "effective_hours": {"type": "array", "description": "the latest report of each month",
                        "items": {"type": "object", "properties": {"month": month, "hours": {"type": "number"},
                                                                   "reported_on": date, "amount": amount}}},
    "hours_worked": {"type": "number"}, "outcomes": {"type": "array", "items": {"type": "object"}},
    "eligibility": {"type": "object", "description": "Why the person counted, frozen at the acceptance or hire "
                    "(docs/lifecycle.md). A facilitator reads judged_on, hire_date, basis, eligible_by and conditions; "
                    "an admin also criteria (with proof dates and who validated them), provisional, diagnosis_date, "
                    "diagnosed_by, by_diagnosis, derogation.", "properties": {
        "judged_on": date, "hire_date": date,
        "basis": {"type": "string", "enum": ["clause_public", "iae_level1", "iae_level2", "derogation"]},
        "eligible_by": {"type": "array", "items": {"type": "string", "enum": crit}},
        "criteria": {"type": "array", "items": {"type": "object", "properties": {
            "criterion": {"type": "string", "enum": crit}, "proof_date": date, "valid_until": date,
            "validated_by": {"type": "string"}}}},
        "provisional": {"type": "array", "items": {"type": "string", "enum": crit}},
        "diagnosis_date": date, "diagnosed_by": {"type": "string"},
        "by_diagnosis": {"type": "array", "items": {"type": "string", "enum": crit}},
        "derogation": {"type": "object", "properties": {"granted_on": date, "granted_by": {"type": "string"}}},
        "conditions": {"type": "array", "items": ref("Condition")}}},
    "report": {"type": "object", "description": "POST .../hours only: the report and its month's cap",
               "properties": {"month": month, "hours": {"type": "number"}, "reported_on": date, "amount": amount,
                              "correction": {"type": "boolean"}, "working_days": {"type": "integer"},
                              "planned_hours": {"type": "number"}, "max_hours": {"type": "number"}}}}}
schemas["PlacementPage"] = page("Placement")
schemas["HoursReport"] = {"type": "object", "description": "Either hours or, on a subcontracting placement "
                          "(route sous_traitance_siae), amount_eur: exactly one of them (422 naming the field otherwise).",
                          "properties": {
    "month": month, "hours": {"type": "number", "minimum": 0},
    "amount_eur": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12,
                   "description": "amount invoiced for the month excluding VAT, converted into hours = amount_eur × "
                                  "labour_share ÷ hourly_cost_eur"},
    "labour_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                     "description": "with amount_eur; default: the share the contract's clause was sized with"},
    "hourly_cost_eur": {"type": "number", "minimum": 1, "maximum": 1000,
                        "description": "with amount_eur; default: the contract's sizing's hourly cost, else 30"},
    "reported_on": {**date, "description": "default: the server's today (serve --today, else the system date); not before the month's first day nor after today plus 2 days"}}, "required": ["month"]}
schemas["PlanRequest"] = {"type": "object", "properties": {
    "labour_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                     "description": "default: the table's share for the contract's CPV code, else the trades' "
                                    "shares weighted by their hours (lifecycle::ResolveLabourShare)"},
    "insertion_rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    "hourly_cost_eur": {"type": "number", "default": 30}, "weekly_hours": {"type": "number", "default": 35},
    "contract_type": {"type": "string", "enum": ctypes, "default": "cdd"},
    "trades": {"type": "array", "maxItems": 50, "items": {"type": "object", "properties": {
        "appellation": {"type": "integer"}, "share": {"type": "number"}, "start": date, "end": date,
        "weekly_hours": {"type": "number"}, "contract_type": {"type": "string", "enum": ctypes}},
        "required": ["appellation"]}},
    "apply": {"type": "boolean", "default": False,
              "description": "record the sizing on the contract and create the draft openings (201)"}},
    "required": ["insertion_rate"]}
schemas["Plan"] = {"type": "object", "properties": {
    "contract_id": {"type": "integer"}, "applied": {"type": "boolean"},
    "sizing": {"type": "object", "properties": {k: {"type": "number"} for k in [
        "amount_excl_vat_eur", "labour_share", "insertion_rate", "hourly_cost_eur", "labour_amount_eur",
        "insertion_amount_eur", "exact_hours", "hours"]} | {"labour_share_source": {"type": "string"}}},
    "openings": {"type": "array", "items": {"allOf": [ref("Opening"), {"type": "object", "properties": {
        "planned_hours": {"type": "number"}, "weeks": {"type": "number"}, "capacity_hours": {"type": "number"}}}]}}}}
schemas["Fulfilment"] = {"type": "object", "properties": {
    "contract_id": {"type": "integer"}, "reference": {"type": "string"}, "holder": {"type": "string"},
    "up_to": {"type": ["string", "null"], "format": "date"}, "forecast_hours": {"type": "number"},
    "realised_hours": {"type": "number"}, "remaining_hours": {"type": "number"},
    "percent": {"type": ["number", "null"]}, "placements": {"type": "integer"},
    "realised_by_route": {"type": "object", "additionalProperties": {"type": "number"}}}}
schemas["Indicators"] = {"type": "object", "description": "docs/lifecycle.md section 5: sections of cells; a suppressed "
                         "cell has value null and suppressed \"<5\" or \"s\".", "properties": {
    "period": {"type": "object"}, "territory": {"type": "object"}, "as_of": {"type": ["string", "null"]},
    "suppression": {"type": "object"}, "contracts_in_scope": {"type": "integer"},
    "placements_in_scope": {"type": "integer"},
    "sections": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object", "properties": {
        "indicator": {"type": "string"}, "category": {"type": "string"}, "label": {"type": "string"},
        "value": {"type": ["number", "null"]}, "suppressed": {"type": "string"}}}}},
    "by_sex": {"type": "object", "description": "the indicators about people again, for the people of each sex "
               "(femme, homme, non_renseigne): {label, sections} shaped as sections; a sex margin is "
               "suppressed like any other (docs/lifecycle.md)",
               "propertyNames": {"enum": ["femme", "homme", "non_renseigne"]},
               "additionalProperties": {"type": "object", "properties": {
                   "label": {"type": "string"}, "sections": {"type": "object"}}}}}}
query = lambda name, desc, schema: {"name": name, "in": "query", "description": desc, "schema": schema}
paths["/v1/contracts/{id}/plan"] = {
    "post": op("planContract", "Size the clause and split its hours into draft openings (preview, or apply: 201)", [F, A],
               {**ok(200, "A preview", ref("Plan")), **ok(201, "Applied: sizing recorded, drafts created", ref("Plan")),
                **errs("400", "404", "409", "411", "415", "422")},
               parameters=[id_param("id", "contract"), idem], requestBody=json_body(ref("PlanRequest")))}
paths["/v1/placements"] = {
    "post": op("createPlacement", "Record a hire on an opening of the organisation's contracts (audited)", [F, A],
               {**ok(201, "Hired", ref("Placement"), headers=location), **errs("400", "411", "415", "422")},
               parameters=[idem], requestBody=json_body(ref("PlacementRequest")))}
paths["/v1/placements/{id}"] = {
    "get": op("getPlacement", "Read a placement with its hours history (audited)", [F, A],
              {**ok(200, "The placement", ref("Placement")), **errs("404")}, parameters=[id_param("id", "placement")])}
paths["/v1/placements/{id}/hire"] = {
    "post": op("hirePlacement", "Hire on an accepted placement (an accepted batch proposal) (audited)", [F, A],
               {**ok(200, "Hired", ref("Placement")), **errs("400", "404", "409", "411", "415", "422")},
               parameters=[id_param("id", "placement")], requestBody=json_body(ref("HireTerms")))}
paths["/v1/placements/{id}/hours"] = {
    "post": op("reportHours", "Report a month's hours, within the month's cap; a second report of a month is a "
               "correction, history kept (audited)", [F, A],
               {**ok(201, "Recorded", ref("Placement")), **errs("400", "404", "411", "415", "422")},
               parameters=[id_param("id", "placement"), idem], requestBody=json_body(ref("HoursReport")))}
schemas["OutcomeRecord"] = {"type": "object", "properties": {
    "months_after_entry": {"type": "integer", "enum": [6, 12]},
    "outcome": {"type": "string", "enum": outcome_codes, "description": "its DGEFP category: emploi_durable, "
                "emploi_transition; sortie_positive (formation_qualifiante, embauche_autre_siae, autre_sortie_positive); "
                "autre_sortie (demandeur_emploi, inactif, sans_nouvelles, autre)"},
    "recorded_on": {**date, "description": "default: the server's today (serve --today, else the system date); not before the start plus the horizon nor after today plus 2 days"}},
    "required": ["months_after_entry", "outcome"]}
paths["/v1/placements/{id}/outcomes"] = {
    "post": op("recordOutcome", "Record the situation 6 or 12 months after entry; a later record corrects, history "
               "kept (audited)", [F, A],
               {**ok(201, "Recorded", ref("Placement")), **errs("400", "404", "411", "415", "422")},
               parameters=[id_param("id", "placement"), idem], requestBody=json_body(ref("OutcomeRecord")))}
paths["/v1/contracts/{id}/placements"] = {
    "get": op("listPlacements", "A contract's placements (audited)", [F, A],
              {**ok(200, "A page", ref("PlacementPage")), **errs("400", "404")},
              parameters=[id_param("id", "contract")] + page_params)}
paths["/v1/contracts/{id}/fulfilment"] = {
    "get": op("getFulfilment", "Hours forecast, realised and left for a contract", [F, A],
              {**ok(200, "Fulfilment", ref("Fulfilment")), **errs("400", "404")},
              parameters=[id_param("id", "contract"), query("up_to", "count months beginning on or before", date)])}
schemas["Attestation"] = {"type": "object", "description": "A signed attestation (docs/attestations.md): the "
    "document whose canonical form (keys sorted, no whitespace) is signed, and the Ed25519 signature", "properties": {
    "attestation": {"type": "object", "properties": {
        "format": {"type": "string", "const": "clausematch-attestation/1"}, "issued_on": date,
        "issuer": {"type": "object", "properties": {"org": {"type": "string"}, "key_id": {"type": "string"}}},
        "contract": {"type": "object", "properties": {
            "id": {"type": "integer"}, "reference": {"type": "string"}, "title": {"type": "string"},
            "buyer": {"type": "string"}, "holder": {"type": "string"}, "holder_siret": {"type": "string"}}},
        "period": {"type": "string", "description": "YYYY-MM, or \"contract\" for the whole contract"},
        "people": {"type": "string", "enum": ["pseudonymised", "named"]},
        "lines": {"type": "array", "items": {"type": "object", "properties": {
            "person": {"type": "string"}, "route": {"type": "string"}, "employer": {"type": "string"},
            "hours": {"type": "string", "description": "two decimals"}, "to_date_hours": {"type": "string"}}}},
        "by_month": {"type": "array", "items": {"type": "object", "properties": {
            "month": {"type": "string"}, "hours": {"type": "string"}}}},
        "by_route": {"type": "array", "items": {"type": "object", "properties": {
            "route": {"type": "string"}, "hours": {"type": "string"}, "to_date_hours": {"type": "string"}}}},
        "totals": {"type": "object", "properties": {
            "period_hours": {"type": "string"}, "target_hours": {"type": "string"},
            "to_date_hours": {"type": "string"}, "remaining_hours": {"type": "string"},
            "percent": {"type": ["string", "null"]}, "placements": {"type": "integer"}}}}},
    "signature": {"type": "object", "properties": {
        "algorithm": {"type": "string", "const": "Ed25519"}, "key_id": {"type": "string"},
        "public_key": {"type": "string", "description": "base64"}, "value": {"type": "string", "description": "base64"}}}}}
paths["/v1/contracts/{id}/attestation"] = {
    "get": op("getAttestation", "Signed attestation of a contract's insertion hours for a month or the whole "
              "contract: a PDF, or the signed JSON with Accept: application/json (people read are audited)", [F, A],
              {"200": {"description": "The attestation", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}},
                                                                      "application/json": {"schema": ref("Attestation")}}},
               **errs("400", "404", "422")},
              parameters=[id_param("id", "contract"),
                          query("month", "the month (default: the whole contract)", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}),
                          query("people", "pseudonyms, or first name and initial", {"type": "string", "enum": ["pseudonymised", "named"], "default": "pseudonymised"})])}
schemas["AttestationVerdict"] = {"type": "object", "description": "The verdict on an attestation handed in "
    "(service::VerifySubmittedAttestation, the rule of `clausematch attestation verify --db`; docs/attestations.md)",
    "properties": {
        "valid": {"type": "boolean", "description": "the signature holds with a key of this database for the organisation "
                  "the document names; for a PDF, also its printed key and its pages are those of the signed figures"},
        "reason": {"type": ["string", "null"], "description": "why not, in words (null when valid)"},
        "format": {"type": "string", "enum": ["json", "pdf"]},
        "issuer": {"type": ["object", "null"], "description": "the organisation and key the document names: the signer "
                   "when valid", "properties": {"org": {"type": "string"}, "key_id": {"type": "string"},
                                                "key_retired": {"type": "boolean"}}},
        "attestation": {"type": ["object", "null"], "description": "what it attests (null unless valid)", "properties": {
            "contract_reference": {"type": "string"}, "period": {"type": "string"}, "issued_on": date,
            "to_date_hours": {"type": "string"}, "target_hours": {"type": "string"}}}},
    "required": ["valid", "reason", "format", "issuer", "attestation"]}
paths["/v1/attestations/verify"] = {
    "post": op("verifyAttestation", "Verify a signed attestation handed in: its signed JSON, or its PDF. A signature "
               "that does not hold is a verdict (200, valid false), a body that is not an attestation a 422 naming "
               "the field; nothing is recorded or audited", [P, F, A],
               {**ok(200, "The verdict", ref("AttestationVerdict")), **errs("400", "411", "415", "422")},
               requestBody={"required": True, "content": {
                   "application/json": {"schema": ref("Attestation")},
                   "application/pdf": {"schema": {"type": "string", "format": "binary"},
                                       "description": "the PDF as GET /v1/contracts/{id}/attestation gave it"}}})}
schemas["SiaeSourcing"] = {"type": "object", "properties": {
    "contract_id": {"type": "integer"}, "trades": {"type": "array", "items": {"type": "string"}},
    "km": {"type": "number"}, "in_reach": {"type": "integer"}, "sector_mismatch": {"type": "integer"},
    "by_kind": {"type": "object", "additionalProperties": {"type": "object", "properties": {
        "count": {"type": "integer"}, "structures": {"type": "array", "items": {"type": "object", "properties": {
            "siret": {"type": "string"}, "name": {"type": "string"}, "naf": {"type": "string"},
            "city": {"type": "string"}, "distance_km": {"type": "number"}, "trade": {"type": "string"},
            "hire_share": {"type": ["number", "null"]}, "staffing": {"type": "boolean"}}}}}}}}}
paths["/v1/contracts/{id}/siae"] = {
    "get": op("sourceSiae", "Insertion structures near the worksite fitting the contract's trades, by kind", [F, A],
              {**ok(200, "Structures by kind, nearest first", ref("SiaeSourcing")), **errs("400", "404", "409")},
              parameters=[id_param("id", "contract"),
                          query("km", "reach", {"type": "number", "exclusiveMinimum": 0, "maximum": 200, "default": 30}),
                          query("any_sector", "list structures of any sector in reach", {"type": "boolean", "default": False}),
                          query("limit", "structures listed per kind", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10})])}
paths["/v1/indicators"] = {
    "get": op("getIndicators", "Funders' indicators of the organisation's contracts, small counts suppressed; "
              "CSV (';', UTF-8 BOM) with Accept: text/csv", [F, A],
              {"200": {"description": "The report", "content": {"application/json": {"schema": ref("Indicators")},
                                                                 "text/csv": {"schema": {"type": "string"}}}},
               **errs("400")},
              parameters=[query("from", "period start", date), query("to", "period end", date),
                          query("departement", "INSEE département code", {"type": "string"}),
                          query("region", "INSEE région code", {"type": "string"}),
                          query("territory_of", "whose commune the territory selects: the contract's worksite "
                                "or the person's home", {"type": "string", "enum": ["worksite", "residence"],
                                                          "default": "worksite"}),
                          query("threshold", "suppress counts of people below this (5 to 100)",
                                {"type": "integer", "minimum": 5, "maximum": 100, "default": 5}),
                          query("decimal_comma", "CSV decimals with a comma", {"type": "boolean", "default": False}),
                          query("org", "admin only: one organisation", {"type": "string"})])}
schemas["Territory"] = {"type": "object", "description": "The départements an organisation covers (docs/privacy.md, Territories)",
    "properties": {"org": {"type": "string"},
                   "departements": {"type": "array", "items": {"type": "string"}, "maxItems": 128,
                                    "description": "INSEE département codes (\"59\", \"2A\", \"974\"), or [\"*\"] for every one; empty: none"}},
    "required": ["departements"]}
paths["/v1/organisations"] = {
    "get": op("listOrganisations", "Every organisation with a territory", [A],
              {**ok(200, "The territories", {"type": "object", "properties": {
                  "items": {"type": "array", "items": ref("Territory")}}})})}
paths["/v1/organisations/{org}/territory"] = {
    "parameters": [{"name": "org", "in": "path", "required": True, "schema": {"type": "string"}}],
    "get": op("getTerritory", "An organisation's territory (one's own, or any for an admin)", [P, F, A],
              {**ok(200, "The territory", ref("Territory")), **errs("404")}),
    "put": op("setTerritory", "Replace an organisation's territory", [A],
              {**ok(200, "The territory", ref("Territory")), **errs("400", "411", "415", "422")},
              requestBody=json_body(ref("Territory")))}
schemas["ApiKey"] = {"type": "object", "description": "An API key (never its secret nor its hash)",
    "properties": {"key_id": {"type": "string"}, "org": {"type": "string"},
                   "role": {"type": "string", "enum": ["prescriber", "facilitator", "admin"]},
                   "created_at": {"type": "string"}, "revoked_at": {"type": ["string", "null"]}}}
paths["/v1/keys"] = {
    "get": op("listKeys", "Every API key, revoked ones included", [A],
              {**ok(200, "The keys", {"type": "object", "properties": {"items": {"type": "array", "items": ref("ApiKey")}}})})}
paths["/v1/keys/{key_id}/revoke"] = {
    "post": op("revokeKey", "Revoke a key: refused from the next request on (a second revocation keeps the first date)", [A],
               {**ok(200, "The revoked key", ref("ApiKey")), **errs("404")},
               parameters=[{"name": "key_id", "in": "path", "required": True, "schema": {"type": "string"}}])}

# The web console's browser sessions (api/http/web_routes.cpp, docs/console.md): a key exchanged for
# an HttpOnly cookie; with the cookie, every request that changes something carries X-CSRF-Token.
schemas["WebSession"] = {"type": "object", "properties": {
    "org": {"type": "string"}, "role": {"type": "string", "enum": [P, F, A]},
    "csrf_token": {"type": "string", "description": "send it as X-CSRF-Token on every POST, PUT and DELETE"},
    "expires_at": {"type": "string", "format": "date-time",
                   "description": "the earlier of the absolute end and the idle end"}}}
paths["/v1/session"] = {
    "post": {"operationId": "login", "summary": "Exchange an API key for a browser session (cookie cm_session: "
             "HttpOnly, SameSite=Strict, Secure behind TLS)", **public,
             "requestBody": json_body({"type": "object", "properties": {"key": {"type": "string"}},
                                       "required": ["key"]}),
             "responses": {**ok(201, "Logged in; Set-Cookie carries the session", ref("WebSession"),
                                headers={"Set-Cookie": {"schema": {"type": "string"}}}),
                           **errs("400", "401", "411", "415", "422")}},
    "get": op("getSession", "The browser session of the cookie (its CSRF token, its end)", [P, F, A],
              {**ok(200, "The session", ref("WebSession")), **errs("404")}),
    "delete": op("logout", "End the browser session (X-CSRF-Token required)", [P, F, A],
                 {"204": {"description": "Logged out; the cookie is cleared"}, **errs("403", "404")})}
search_params = [query("q", "words to search (each a prefix of a word), or a code", {"type": "string", "maxLength": 100}),
                 query("limit", "answers", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10})]
paths["/v1/referential/communes"] = {
    "get": op("searchCommunes", "Communes by name, INSEE code or postal code (autocompletion)", [P, F, A],
              {**ok(200, "Best first", {"type": "object", "properties": {"items": {"type": "array", "items": {
                  "type": "object", "properties": {"insee": {"type": "string"}, "name": {"type": "string"},
                                                   "departement": {"type": "string"},
                                                   "postal_codes": {"type": "array", "items": {"type": "string"}}}}}}}),
               **errs("400")}, parameters=search_params)}
paths["/v1/referential/appellations"] = {
    "get": op("searchAppellations", "ROME appellations by words of their label or code (autocompletion)", [P, F, A],
              {**ok(200, "Best first", {"type": "object", "properties": {"items": {"type": "array", "items": {
                  "type": "object", "properties": {"code": {"type": "integer"}, "label": {"type": "string"},
                                                   "fiche": {"type": "string"}}}}}}),
               **errs("400")}, parameters=search_params)}

doc = {
    "openapi": "3.1.0",
    "info": {"title": "clausematch API", "version": "1.0.0",
             "description": "Matching people far from employment with the openings of public contracts' social insertion clauses. "
                            "Errors are RFC 9457 problem documents. See docs/api.md and docs/privacy.md."},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": [{"bearer": []}, {"session": []}],
    "paths": paths,
    "components": {"schemas": schemas, "responses": components_responses,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                  "description": "API key from `clausematch keys create`"},
                                       "session": {"type": "apiKey", "in": "cookie", "name": "cm_session",
                                                   "description": "browser session (POST /v1/session); requests "
                                                                  "that change something also send X-CSRF-Token"}}},
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=1, ensure_ascii=False)
    f.write("\n")
