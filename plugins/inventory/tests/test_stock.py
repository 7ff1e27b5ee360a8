"""The stock ledger: units, moving average cost, reservations, issues, transfers, checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.errors import InsufficientStock, Invalid
from niaga.runtime import hooks
from niaga.testing import another_process, see_config_version
from niaga_inventory import checks, stock, valuation
from niaga_inventory.models import StockBalance, StockMove, Valuation
from niaga_inventory.warehouses import default_warehouse, get_warehouse, save_warehouse

pytestmark = pytest.mark.plugins("inventory")
D = Decimal


def test_buy_by_karton_sell_by_bungkus_in_base_units(line, db, make_product, receive):
    rokok = make_product()
    moves = receive(rokok, 2, cost=2_680_000, unit="karton")
    assert moves[0].quantity == 200
    assert moves[0].unit_cost == D("26800")  # per bungkus: 2.680.000 / 100
    assert moves[0].value == D("5360000")

    sold = hooks().inventory_issue(
        session=db, reference="sales.pos_sale:1", lines=[line(rokok, 3, "bungkus")], kind="issue"
    )
    hooks().inventory_issue(
        session=db, reference="sales.pos_sale:2", lines=[line(rokok, 1, "slop")], kind="issue"
    )
    db.commit()
    assert sold[0].quantity == -3
    assert stock.available(db, rokok.id) == 200 - 3 - 10
    row = db.scalars(sa.select(StockMove).where(StockMove.reference == "sales.pos_sale:2")).one()
    assert (row.unit, row.unit_quantity, row.quantity) == ("slop", D(-1), D(-10))


def test_unknown_unit_and_bad_quantities_are_refused(db, make_product, receive):
    rokok = make_product()
    with pytest.raises(Invalid, match="Unit dus is not defined"):
        receive(rokok, 1, unit="dus")
    with pytest.raises(Invalid, match="more than zero"):
        receive(rokok, 0)
    db.rollback()
    assert db.scalar(sa.select(sa.func.count(StockMove.id))) == 0


def test_moving_average_cost_by_hand(line, db, make_product, receive):
    """Worked example (also in README.md):

    receive 100 @ 1.000 -> 100 units worth 100.000, average 1.000
    receive  50 @ 1.300 -> 150 units worth 165.000, average 1.100
    issue    30         -> value 30 x 1.100 = 33.000; 120 left worth 132.000
    receive  80 @ 1.250 -> 200 units worth 232.000, average 1.160
    issue   200         -> takes the whole 232.000; nothing left, no residue
    """
    item = make_product(sku="AVCO", name="Test AVCO", units={}, base_unit="pcs", cost=D(0))
    receive(item, 100, cost=1000)
    receive(item, 50, cost=1300)
    assert valuation.figures(db, item.id) == (D("1100"), D("165000"))
    out = stock.issue(db, "sales.pos_sale:1", [line(item, 30)])
    assert out[0].value == D("-33000") and out[0].unit_cost == D("1100")
    receive(item, 80, cost=1250)
    assert valuation.figures(db, item.id) == (D("1160"), D("232000"))
    last = stock.issue(db, "sales.pos_sale:2", [line(item, 200)])
    db.commit()
    assert last[0].value == D("-232000")
    val = db.get(Valuation, item.id)
    db.refresh(val)
    assert (val.quantity, val.value) == (0, 0)
    assert checks.problems(db) == []


def test_average_keeps_four_decimals_and_the_last_issue_takes_the_rest(
    line, db, make_product, receive
):
    item = make_product(sku="THIRD", name="Thirds", units={}, base_unit="pcs")
    receive(item, 3, cost=1000)
    receive(item, 3, cost=1001)  # 6 units worth 6003 -> average 1000.5
    receive(item, 1, cost=1000)  # 7 units worth 7003 -> average 1000.4286
    assert valuation.figures(db, item.id) == (D("1000.4286"), D("7003"))
    first = stock.issue(db, "x:1", [line(item, 3)])
    assert first[0].value == D("-3001")  # 3 x 1000.4286 = 3001.2858 -> 3001
    rest = stock.issue(db, "x:2", [line(item, 4)])
    assert rest[0].value == D("-4002")  # what is left, not 4 x 1000.4286
    db.commit()
    assert checks.problems(db) == []


def test_receipt_without_cost_uses_average_then_reference_cost(db, make_product, receive):
    item = make_product(sku="NC", name="No cost", units={}, base_unit="pcs", cost=D("500"))
    first = receive(item, 10)
    assert first[0].unit_cost == D("500")
    receive(item, 10, cost=700)
    again = receive(item, 5)
    assert again[0].unit_cost == D("600")


def test_reserve_release_issue_consumes_the_reservation(line, db, make_product, receive):
    rokok = make_product()
    receive(rokok, 1, unit="karton")
    assert hooks().inventory_reserve(
        session=db, reference="sales.order:5", lines=[line(rokok, 3, "slop")]
    )
    db.commit()
    assert hooks().inventory_available(session=db, product_id=rokok.id, warehouse_id=None) == 70
    with pytest.raises(InsufficientStock, match="70 bungkus available"):
        stock.reserve(db, "sales.order:6", [line(rokok, 71)])
    db.rollback()
    # delivering 20 consumes 20 of the 30 reserved; the rest stays promised
    hooks().inventory_issue(
        session=db, reference="sales.order:5", lines=[line(rokok, 2, "slop")], kind="issue"
    )
    db.commit()
    balance = db.scalars(sa.select(StockBalance).execution_options(populate_existing=True)).one()
    assert (balance.on_hand, balance.reserved) == (80, 10)
    hooks().inventory_release(session=db, reference="sales.order:5")
    db.commit()
    assert stock.available(db, rokok.id) == 80
    assert checks.problems(db) == []


def test_reserve_is_all_or_nothing(line, db, make_product, receive):
    rokok = make_product()
    water = make_product(sku="AQ", name="Aqua 600 ml", base_unit="botol", units={"dus": D(24)})
    receive(rokok, 10)
    receive(water, 1, unit="dus")
    with pytest.raises(InsufficientStock):
        stock.reserve(db, "sales.order:1", [line(rokok, 5), line(water, 2, "dus")])
    db.commit()  # the caller may even commit: nothing of the failed reservation remains
    assert stock.available(db, rokok.id) == 10
    assert stock.reserved_for(db, "sales.order:1") == []


def test_issue_cannot_take_reserved_stock_of_others(line, db, make_product, receive):
    rokok = make_product()
    receive(rokok, 10)
    stock.reserve(db, "sales.order:1", [line(rokok, 8)])
    db.commit()
    with pytest.raises(InsufficientStock):
        stock.issue(db, "sales.pos_sale:9", [line(rokok, 3)])
    db.rollback()
    stock.issue(db, "sales.pos_sale:9", [line(rokok, 2)])
    db.commit()
    assert stock.available(db, rokok.id) == 0


def test_negative_stock_only_when_the_product_allows_it(line, db, make_product, receive):
    strict = make_product()
    with pytest.raises(InsufficientStock):
        stock.issue(db, "sales.pos_sale:1", [line(strict, 1)])
    db.rollback()
    loose = make_product(
        sku="TELUR", name="Telur", base_unit="kg", units={}, allow_negative=True, cost=D(1000)
    )
    stock.issue(db, "sales.pos_sale:2", [line(loose, 10)])
    db.commit()
    assert stock.available(db, loose.id) == -10
    assert valuation.figures(db, loose.id) == (D(0), D(-10000))  # issued at reference cost
    # The receipt that brings stock back sets the cost; the oversold units' cost difference
    # is booked as a zero-quantity adjustment, so value = quantity x cost again.
    moves = receive(loose, 20, cost=1200)
    kinds = [(m.kind, m.quantity, m.value) for m in moves]
    assert kinds == [("receipt", 20, D(24000)), ("adjustment", 0, D(-2000))]
    assert valuation.figures(db, loose.id) == (D(1200), D(12000))
    assert checks.problems(db) == []


def test_untracked_products_make_no_moves(line, db, make_product):
    service = make_product(sku="JASA", name="Ongkos kirim", units={}, track_stock=False)
    assert stock.issue(db, "sales.pos_sale:1", [line(service, 5)]) == []
    assert hooks().inventory_available(session=db, product_id=service.id, warehouse_id=None) is None


def test_transfer_between_warehouses_keeps_value(line, db, make_product, receive, listener):
    rokok = make_product()
    shop = save_warehouse(db, {"code": "toko", "name": "Toko Depan"})
    default = default_warehouse(db)
    db.commit()
    receive(rokok, 1, cost=2_680_000, unit="karton")
    moves = stock.transfer(db, "inventory.transfer:1", line(rokok, 2, "slop"), shop.id)
    db.commit()
    assert [(m.kind, m.quantity, m.value) for m in moves] == [
        ("transfer_out", -20, D(-536000)),
        ("transfer_in", 20, D(536000)),
    ]
    assert stock.available(db, rokok.id, shop.id) == 20
    assert stock.available(db, rokok.id) == 100
    assert valuation.figures(db, rokok.id)[1] == D(2_680_000)
    assert [m.kind for m in listener.heard] == ["receipt", "transfer_out", "transfer_in"]
    with pytest.raises(InsufficientStock):
        stock.transfer(
            db, "inventory.transfer:2", line(rokok, 21, warehouse_id=shop.id), default.id
        )
    with pytest.raises(Invalid, match="two different"):
        stock.transfer(db, "inventory.transfer:3", line(rokok, 1), default.id)


def test_every_move_is_announced_with_its_value(line, db, make_product, receive, listener):
    rokok = make_product()
    receive(rokok, 10, cost=100)
    hooks().inventory_issue(
        session=db, reference="loyalty.redemption:8", lines=[line(rokok, 1)], kind="gift"
    )
    hooks().inventory_receive(
        session=db, reference="sales.credit_note:2", lines=[line(rokok, 1)], kind="return_in"
    )
    stock.adjust(db, "inventory.adjustment:1", [(line(rokok, 2), -1)], "rusak")
    db.commit()
    heard = [(m.kind, m.quantity, m.value, m.reference) for m in listener.heard]
    assert heard == [
        ("receipt", 10, D(1000), "purchasing.receipt:1"),
        ("gift", -1, D(-100), "loyalty.redemption:8"),
        ("return_in", 1, D(100), "sales.credit_note:2"),
        ("adjustment", -2, D(-200), "inventory.adjustment:1"),
    ]
    stored = db.scalars(sa.select(StockMove.id).order_by(StockMove.id)).all()
    assert [m.id for m in listener.heard] == stored


def test_wrong_kinds_are_refused(line, db, make_product):
    rokok = make_product()
    with pytest.raises(Invalid):
        stock.issue(db, "x:1", [line(rokok, 1)], kind="receipt")
    with pytest.raises(Invalid):
        stock.receive(db, "x:1", [line(rokok, 1)], kind="issue")
    with pytest.raises(Invalid, match="reason"):
        stock.adjust(db, "x:1", [(line(rokok, 1), 1)], " ")


def test_check_finds_a_tampered_balance(db, make_product, receive):
    rokok = make_product()
    receive(rokok, 10)
    assert checks.problems(db) == []
    db.execute(sa.update(StockBalance).values(on_hand=11))
    db.execute(sa.update(Valuation).values(value=1))
    db.commit()
    found = checks.problems(db)
    assert any("on hand 11" in problem for problem in found)
    assert any("valuation says" in problem for problem in found)


def test_product_lookup_hooks(db, make_product):
    rokok = make_product(barcode="8999909096004")
    make_product(sku="OLD", name="Gudang Garam Lama", active=False)
    found = hooks().inventory_product(
        session=db, product_id=None, sku=None, barcode="8999909096004"
    )
    assert found.id == rokok.id
    assert found.units == {"slop": 10, "karton": 100}
    assert found.to_base(D(2), "karton") == 200
    names = [
        p.name for p in hooks().inventory_search(session=db, query="gudang", limit=10, offset=0)
    ]
    assert names == ["Gudang Garam Surya 12"]  # inactive products are not offered


def test_reorder_needs_suggest_whole_purchase_units(line, db, make_product, receive):
    rokok = make_product(reorder_point=D(50), purchase_unit="karton")
    receive(rokok, 120)
    assert hooks().inventory_reorder_needs(session=db) == []
    stock.issue(db, "sales.pos_sale:1", [line(rokok, 75)])
    db.commit()
    (need,) = hooks().inventory_reorder_needs(session=db)
    # 45 left, reorder at 50: reach 100 -> 55 bungkus -> 1 karton (rounded up)
    assert (need.available, need.suggested_quantity, need.unit) == (45, 1, "karton")


def test_fractional_quantities_add_up_exactly(db, make_product, receive, line):
    eggs = make_product(sku="TELUR", name="Telur", base_unit="kg", units={})
    receive(eggs, "0.3", cost=26500)
    stock.reserve(db, "sales.order:1", [line(eggs, "0.1")])
    stock.reserve(db, "sales.order:2", [line(eggs, "0.2")])  # 0.3 - 0.1 >= 0.2, exactly
    db.commit()
    with pytest.raises(InsufficientStock):
        stock.reserve(db, "sales.order:3", [line(eggs, "0.0001")])
    with pytest.raises(Invalid, match="more than zero"):
        stock.reserve(db, "sales.order:4", [line(eggs, "0.00001")])  # rounds to nothing
    db.rollback()
    assert stock.available(db, eggs.id) == 0


def test_warehouses_changed_by_another_process_count_from_the_next_transaction(app, db):
    """The warehouses are kept per process (warehouses.get_warehouse), and read again once
    another server, the CLI or an SQL console changes one."""

    main = default_warehouse(db).id
    second = save_warehouse(db, {"code": "TIMUR", "name": "Gudang Timur"}).id
    db.commit()
    db.close()  # each request has a session of its own

    see_config_version(db)
    assert get_warehouse(db, second).name == "Gudang Timur"
    assert get_warehouse(db, None).id == main
    db.close()
    with another_process(app) as connection:
        connection.execute(
            sa.text("UPDATE inventory_warehouse SET active = :no WHERE code = 'TIMUR'"),
            {"no": False},
        )
    see_config_version(db)
    with pytest.raises(Invalid):
        get_warehouse(db, second)
    renamed = get_warehouse(db, second, active_only=False)
    renamed.name = "Gudang Timur Baru"  # the session's own object: changes are kept
    assert get_warehouse(db, second, active_only=False).name == "Gudang Timur Baru"
    db.commit()
    db.close()
    see_config_version(db)
    assert get_warehouse(db, second, active_only=False).name == "Gudang Timur Baru"
