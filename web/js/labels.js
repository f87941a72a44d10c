// French labels of the API's codes.
export const criteria = {
  rsa: 'Bénéficiaire du RSA', ass: 'Bénéficiaire de l’ASS', aah: 'Bénéficiaire de l’AAH',
  detld: 'Demandeur d’emploi de très longue durée', jeune: 'Jeune de moins de 26 ans', senior: 'Senior de 50 ans et plus',
  ase: 'Jeune de l’ASE', deld: 'Demandeur d’emploi de longue durée', rqth: 'Travailleur handicapé (RQTH)',
  parent_isole: 'Parent isolé', sans_hebergement: 'Sans hébergement', refugie: 'Réfugié',
  qpv: 'Résident QPV', zrr: 'Résident ZRR', sortant_detention: 'Sortant de détention',
  niveau_formation: 'Niveau de formation infra-CAP', francais_a1: 'Français langue étrangère (A1)',
  mobilite: 'Frein de mobilité', salarie_siae: 'Salarié d’une SIAE',
};
export const exclusions = {
  age_at_hire: 'âge à l’embauche', already_on_opening: 'déjà sur l’offre', already_placed: 'déjà en poste',
  missing_licence: 'permis manquant', no_accepted_public: 'hors publics de la clause', no_consent: 'sans consentement',
  no_location: 'sans localisation', not_available: 'pas encore disponible', not_qpv_resident: 'hors QPV',
  out_of_reach: 'hors de portée', proof_expired: 'justificatif périmé', suspended: 'suivi suspendu',
  withdrawn: 'sorti du dispositif',
};
export const components = {
  rome_relation: 'Métier (ROME)', skill_fit: 'Compétences', skill_overlap: 'Compétences communes',
  skill_embedding: 'Compétences transférables', distance: 'Distance', priority: 'Public prioritaire',
  waiting: 'Attente', hours: 'Heures', exposure_penalty: 'Pénalité d’exposition',
};
export const status = {
  active: 'actif', placed: 'en poste', suspended: 'suspendu', withdrawn: 'sorti',
  open: 'ouvert', closed: 'clos', filled: 'pourvue', draft: 'brouillon',
  queued: 'en attente', running: 'en cours', succeeded: 'terminé', failed: 'échec',
  pending: 'à décider', accepted: 'acceptée', declined: 'refusée',
  proposed: 'proposé', hired: 'embauché', ended: 'terminé',
};
export const routes = {
  embauche_directe: 'embauche directe', etti: 'ETTI', geiq: 'GEIQ', ai: 'association intermédiaire',
  sous_traitance_siae: 'sous-traitance à une SIAE', ea: 'entreprise adaptée', esat: 'ESAT',
};
export const contractTypes = {
  cdd: 'CDD', cdi: 'CDI', cddi: 'CDDI', interim_etti: 'intérim d’insertion (ETTI)', interim: 'intérim',
  geiq: 'contrat GEIQ', mise_a_disposition_ai: 'mise à disposition (AI)', apprentissage: 'apprentissage',
  professionnalisation: 'professionnalisation', pec: 'PEC (contrat aidé)', cdi_chantier: 'CDI de chantier',
  esat_soutien: 'contrat de soutien ESAT',
};
export const outcomes = {
  emploi_durable: 'Emploi durable', emploi_transition: 'Emploi de transition',
  formation_qualifiante: 'Formation qualifiante', autre: 'Autre sortie',
  embauche_autre_siae: 'Embauche dans une autre SIAE', autre_sortie_positive: 'Autre sortie positive',
  demandeur_emploi: 'Demandeur d’emploi', inactif: 'Inactif', sans_nouvelles: 'Sans nouvelles',
};
// The outcomes by DGEFP category, as the DGEFP presents them (docs/lifecycle.md, section 5): the
// three categories of sorties dynamiques, then the other exits. model::CategoryOf is the rule.
export const outcomeCategories = [
  { code: 'sortie_emploi_durable', label: 'Sorties dynamiques : emploi durable', outcomes: ['emploi_durable'] },
  { code: 'sortie_emploi_transition', label: 'Sorties dynamiques : emploi de transition', outcomes: ['emploi_transition'] },
  { code: 'sortie_positive', label: 'Sorties dynamiques : sorties positives',
    outcomes: ['formation_qualifiante', 'embauche_autre_siae', 'autre_sortie_positive'] },
  { code: 'autre_sortie', label: 'Autres sorties', outcomes: ['demandeur_emploi', 'inactif', 'sans_nouvelles', 'autre'] },
];
export const outcomeCategory = (code) => outcomeCategories.find((c) => c.outcomes.includes(code));
export const label = (table, code) => table[code] || code;
