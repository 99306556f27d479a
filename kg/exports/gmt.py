"""Gene sets in GMT, one per figure, as Enrichr, GSEA and clusterProfiler read them.

Each line is ``name<TAB>description<TAB>gene<TAB>gene...``: the name is the figure id and
the description its title, as PFOCR's own GMT files have them; genes are NCBI Gene ids
(default) or symbols, of one organism.

Example
-------
>>> import pathlib, tempfile, kg
>>> from kg.store import open_store
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample/_figures/PMC8632218__fimmu-12-767939-g001.md")], out)
>>> with open_store(out / "pfocr.ttl") as store:
...     sets = gene_sets(store, taxon=7955)
>>> sets[0].name, sets[0].genes[:3]
('PMC8632218__fimmu-12-767939-g001', ['30256', '30767', '30768'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.files import atomic_write_text
from kg.lookups.figures import figure_info
from kg.lookups.incidence import gene_figure_table
from kg.model import evidence_label
from kg.rdf import iris
from kg.store import TripleStore

__all__ = ["GeneSet", "gene_sets", "gmt_text", "write_gmt"]


@dataclass(frozen=True, slots=True)
class GeneSet:
    """One figure's genes: ``name`` (figure id), ``description`` (title), ``genes``."""

    name: str
    description: str
    genes: list[str]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "description": self.description, "genes": self.genes}


def _gene_key(value: str) -> tuple[int, str]:
    return (int(value), value) if value.isdigit() else (0, value)


# PFOCR's own GMT files keep the figures with at least three distinct genes.
DEFAULT_MIN_GENES = 3


def gene_sets(
    store: TripleStore,
    taxon: str | int = 9606,
    ids: bool = True,
    *,
    min_genes: int = DEFAULT_MIN_GENES,
    exclude_sources: Iterable[str] = (),
) -> list[GeneSet]:
    """One :class:`GeneSet` per figure mentioning genes of ``taxon``, in figure id order.

    Parameters
    ----------
    store : the graph.
    taxon : the organism, an NCBI Taxonomy id.
    ids : genes as NCBI Gene ids sorted numerically; ``False``: symbols sorted, each once.
    min_genes : keep figures with at least this many distinct genes (PFOCR's GMTs: 3).
    exclude_sources : match sources whose evidence does not count (PFOCR's strict tier
        leaves out ``kg.model.SYNONYM_SOURCES`` and ``kg.model.FAMILY_SOURCES``).

    Returns
    -------
    list of GeneSet : name the figure id, description its title, as PFOCR writes them (with
        the evidence tier in brackets when it is not all evidence).

    Examples
    --------
    >>> import pathlib, tempfile, kg
    >>> from kg.store import open_store
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> _ = kg.build([pathlib.Path("data/sample")], out)
    >>> from kg.model import FAMILY_SOURCES, SYNONYM_SOURCES
    >>> strict = SYNONYM_SOURCES | FAMILY_SOURCES
    >>> with open_store(out / "pfocr.ttl") as store:
    ...     len(gene_sets(store)), len(gene_sets(store, exclude_sources=strict, min_genes=1))
    (55, 51)
    >>> with open_store(out / "pfocr.ttl") as store:
    ...     len(gene_sets(store, exclude_sources=strict))  # official symbols, 3+ genes
    36
    """
    table = gene_figure_table(
        store, taxon=taxon, max_figure_genes=0, exclude_sources=exclude_sources
    )
    about = figure_info(store)
    matrix = table.matrix.tocsr()
    tier = evidence_label(frozenset(exclude_sources))
    sets = []
    for row, figure in enumerate(table.figures):
        columns = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        if ids:
            genes = {iris.gene_id(table.genes[c]) or table.genes[c] for c in columns}
        else:
            genes = {
                table.symbols[c] or iris.gene_id(table.genes[c]) or table.genes[c] for c in columns
            }
        if len(genes) < min_genes:
            continue
        info = about[figure]
        description = info.title or figure
        if tier != "all evidence":  # PFOCR's default file: the title alone
            description = f"{description} [{tier}]"
        sets.append(GeneSet(info.figid, description, sorted(genes, key=_gene_key)))
    return sorted(sets, key=lambda s: s.name)


def gmt_text(sets: list[GeneSet]) -> str:
    """``sets`` as GMT text (tabs and line breaks inside a field become spaces)."""

    def field(text: str) -> str:
        return " ".join(text.split())

    return "".join("\t".join([field(s.name), field(s.description), *s.genes]) + "\n" for s in sets)


def write_gmt(
    store: TripleStore,
    path: Path,
    taxon: str | int = 9606,
    ids: bool = True,
    *,
    min_genes: int = DEFAULT_MIN_GENES,
    exclude_sources: Iterable[str] = (),
) -> int:
    """Write the GMT file of ``taxon``'s figures to ``path`` (see :func:`gene_sets`); returns
    the number of sets."""
    sets = gene_sets(
        store, taxon=taxon, ids=ids, min_genes=min_genes, exclude_sources=exclude_sources
    )
    atomic_write_text(path, gmt_text(sets))
    return len(sets)
