// The Spend page on the wire: a 13-month daily cost table is a few hundred KB of JSON when
// every day repeats every group's name as a key. Packed, each day's amounts are an array
// in the order of the table's groups (null: no spend that day), a third of the size, and
// the browser unpacks it into the same CostTable. Pure and free of runtime imports: the
// web build bundles it.
import type { CostPeriod, CostTable } from '@ballast/core';

export interface PackedCostPeriod extends Omit<CostPeriod, 'amounts'> {
  /** per group of the table, in its order; null where the group had no spend that day */
  amounts: (number | null)[];
}

export interface PackedCostTable extends Omit<CostTable, 'periods'> {
  periods: PackedCostPeriod[];
}

export function packCostTable(table: CostTable): PackedCostTable {
  return {
    ...table,
    periods: table.periods.map((p) => ({
      ...p,
      amounts: table.groups.map((g) => p.amounts[g.id] ?? null),
    })),
  };
}

export function unpackCostTable(table: PackedCostTable): CostTable {
  return {
    ...table,
    periods: table.periods.map((p) => {
      const amounts: Record<string, number> = {};
      table.groups.forEach((g, i) => {
        const amount = p.amounts[i];
        if (amount !== null && amount !== undefined) amounts[g.id] = amount;
      });
      return { ...p, amounts };
    }),
  };
}
