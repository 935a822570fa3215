"""The topic → handler table: every external task of bpmn/ has exactly one entry."""

from workers import give_feedback, route_application

HANDLERS = {
    route_application.TOPIC: route_application.handle,
    give_feedback.TOPIC: give_feedback.handle,
}
