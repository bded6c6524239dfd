from ninja import Router

router = Router(tags=["kerja fleksibel"])
