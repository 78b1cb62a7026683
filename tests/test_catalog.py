"""The entity catalog: a loosely named entity finds its row; a question names several, or none.

Expected rows were read once by hand from the database of the bundled report (`hrd sql`), as
"kind:name"; "a|b" accepts either (a budget line and its program's execution row carry one name).
`bench/bench_catalog.py` prints the top-1 accuracy of BM25 alone, e5 alone and the fusion over SEARCH.
"""

from __future__ import annotations

import os

import pytest

from hrd.settings import get_settings
from knowledge.ingest import ingest
from tools.catalog import Catalog, build_catalog, catalog_for
from tools.context import ToolContext

NEW = "budget_line:신규자과정운영|execution:신입자 과정 운영"
IT_LINE = "budget_line:IT전문교육운영|execution:IT전문교육 운영"
EXAM_LINE = "budget_line:공무원채용 및 기타 시험관리|execution:공무원 채용 및 기타 시험관리"
SYSTEM = "program:차세대 교육통합시스템 1단계 구축|execution:동영상학습 운영 (교육통합시스템 구축)"
AUDIT_G3 = ("audit_item:타 시도 교육기관들과 교육생 교류, 우수강사풀 공유 등 교육목적 달성을 위한 협력을 위해 교류협력 상호 협약을 "
            "체결하여 공무원 교육의 발전에 기여하고, 새로운 학습의 장을 마련할 필요가 있음.")
AUDIT_C5 = ("audit_item:신입자의 공직적응과 직무수행능력 향상에 기여할 수 있는 7~9급 신입자 교육의 실무 연계성이 지속적으로 강조되고 "
            "있으나, 현업적용도 평가결과는 점수가 낮아지는 추세이므로 교육내용의 실무연계성 강화가 필요함.")

# (phrasing, kinds the caller restricts to or None, expected top-1)
SEARCH = [
    ("신입자 과정 교육인원", None, "program:7~9급 신입자 교육과정 운영"),
    ("신규자과정 예산", None, NEW),
    ("신규자 과정운영 집행률은", None, NEW),
    ("새내기 공무원 과정 예산", ["budget_line"], "budget_line:신규자과정운영"),
    ("교육통합시스템", None, SYSTEM),
    ("교육통합씨스템", None, SYSTEM),
    ("교육통합시스템 구축 예산", ["execution"], "execution:동영상학습 운영 (교육통합시스템 구축)"),
    ("채용시험관리", None, EXAM_LINE),
    ("채용시험관리 예산", ["budget_line"], "budget_line:공무원채용 및 기타 시험관리"),
    ("IT 교육 집행률", None, IT_LINE),
    ("IT전문교육의", None, IT_LINE),
    ("정보통신 교육 운영 인원", None, "program:미래역량 강화를 위한 정보통신(IT) 교육 운영"),
    ("이러닝 운영 예산", None, "budget_line:동영상학습(e-러닝)운영|execution:동영상학습(e-러닝) 운영 (e-러닝 운영)"),
    ("e러닝 과정개발비", None, "budget_line:동영상학습(e-러닝)과정개발|execution:동영상학습 (e-러닝) 과정 개발"),
    ("이러닝 IT 수강인원", None, "elearning_category:e-러닝 직무 IT"),
    ("e-러닝 외국어 분야 수강생", None, "elearning_category:e-러닝 개인학습 외국어"),
    # e-러닝 rows of the training table hold plans, results, 참여율 and 만족도; the e-러닝 category table holds 수강인원
    ("이러닝 IT 만족도", None, "training_category:e-러닝 직무역량 IT"),
    ("이러닝 IT 계획 인원", None, "training_category:e-러닝 직무역량 IT"),
    ("이러닝 자격증 참여율", None, "training_category:e-러닝 개인학습 자격증"),
    ("e-러닝 외국어 수강인원", None, "elearning_category:e-러닝 개인학습 외국어"),
    ("집합교육 IT 참여율", None, "training_category:집합 직무역량 IT"),
    ("집합 리더십 직급 과정 만족도", None, "training_category:집합 리더십역량 직급"),
    ("직무역량 전문 이러닝 계획", ["training_category"], "training_category:e-러닝 직무역량 전문"),
    ("리더쉽 교육과정 예산", None, "budget_line:리더십교육과정운영|execution:리더십 교육과정 운영"),
    ("팀장리더십 과정 인원", None, "course:팀장 리더십"),
    ("7급이하 실무 리더십", None, "course:7급 이하 실무리더십"),
    ("5급승진리더과정은", None, "course:5급 승진리더"),
    ("6급 미래인재 양성 예산", None, "budget_line:6급미래인재양성과정운영|execution:6급미래인재 양성과정"),
    ("재직자 교육과정 집행률", None, "budget_line:재직자교육과정운영|execution:재직자 교육과정 운영"),
    ("시정철학 공유교육 예산", None, "budget_line:시정철학공유특별교육|execution:시정철학 공유 특별교육"),
    ("퇴직 후 인생 설계 교육비", None, "budget_line:퇴직후인생설계교육|execution:퇴직 후 인생설계 교육"),
    ("행복한 정년퇴직준비 과정 인원", None, "course:행복한 정년퇴직 준비"),
    ("50대 인생디자인", None, "course:50대 인생 디자인"),
    ("창의행정 공감마당을", None, "course:창의행정 공감마당"),
    ("HRD 역량강화 예산", None, "budget_line:인적자원개발(HRD) 역량강화프로그램 운영"),
    ("교육훈련 장비 확충 예산", None, "budget_line:교육훈련장비확충|execution:교육훈련 장비 확충"),
    ("교육생 급식 지원 예산", None, "budget_line:교육생급식지원"),
    ("청사 보수보강 집행률", None, "budget_line:인재원청사보수·보강|execution:인재원청사 보수·보강"),
    ("청사 유지관리비", None, "budget_line:인재원청사유지관리"),
    ("직장어린이집 운영 예산", None, "budget_line:직장보육시설운영"),
    ("역량평가 이해과정 예산", None, "budget_line:역량평가 및 이해과정운영|execution:역량평가 및 이해과정 운영"),
    ("4급 역량 평가 인원", None, "assessment:4급 역량평가"),
    ("5급 이해 과정", None, "assessment:5급 이해과정"),
    ("2회 임용시험 경쟁률", None, "exam:제2회 신규공무원 임용시험"),
    ("제1회 공채 응시율", None, "exam:제1회 신규공무원 임용시험"),
    ("중증 장애인 채용", None, "career_hiring:중증장애인"),
    ("배움관 면적", None, "facility:배움관"),
    ("다솜관의 층수", None, "facility:다솜관"),
    ("프로젝터 보유 수량", None, "equipment:프로젝터"),
    ("노트북 내구연한 경과", None, "equipment:노트북"),
    ("건의 3번 추진상황", None, AUDIT_G3),
    ("시정요구 5번 조치결과", None, AUDIT_C5),
    ("직장 내 괴롭힘 교육 건의", None, "audit_item:현재 인재개발원은 성희롱 예방 교육은 강화되어 있으나 직장 내 괴롭힘 관련 교육은 부족함."),
    ("AI 교육 전면확대", None, "program:인공지능(AI) 교육 전면 확대"),
    ("메트로폴리스 포럼", None, "program:메트로폴리스 국제연수원 정책공유 포럼 개최"),
    ("외국 공무원 국제 연수", ["program"], "program:외국도시 공무원 대상 국제연수 운영"),
    ("인재기획과", None, "department:인재기획과"),
    ("사전교육 수료인원", None, "cohort:사전교육|course:사전교육"),
    ("신입자 교육 담당자", None, "contact:7~9급 신입자 교육과정 운영 담당자"),
    ("경상적 세외수입", None, "revenue:경상적세외수입"),
    # second batch, written after the first was passing (it led to the measure/generic split and the cues)
    ("신규임용자 교육 예산 얼마야", None, "budget_line:신규자과정운영|execution:신입자 과정 운영"),
    ("6급 미래인재과정 집행률", None, "budget_line:6급미래인재양성과정운영|execution:6급미래인재 양성과정"),
    ("직급별 리더십 과정 교육인원", None, "program:직급별 리더십 교육과정 운영"),
    ("리더십 교육 예산이 얼마나 늘었어", None, "budget_line:리더십교육과정운영|execution:리더십 교육과정 운영"),
    ("퇴직예정자 교육 인원", None, "program:퇴직 예정 공무원 미래설계 지원 교육과정 운영"),
    ("국제연수 예산", None, "execution:외국도시 공무원 연수 (국제개발협력기금)|program:외국도시 공무원 대상 국제연수 운영"),
    ("동영상 강의 운영비 집행률", None, "budget_line:동영상학습(e-러닝)운영|execution:동영상학습(e-러닝) 운영 (e-러닝 운영)"),
    ("AI 교육 인원", None, "program:인공지능(AI) 교육 전면 확대"),
    ("장비 교체 예산", None, "program:노후 교육장비 교체 등을 통한 교육 활동 지원|budget_line:교육훈련장비확충|execution:교육훈련 장비 확충"),
    ("보육시설 운영 예산", None, "budget_line:직장보육시설운영"),
    ("기본경비", None, "budget_line:기본경비"),
    ("행정운영경비", None, "budget_line:행정운영경비(계)"),
    ("과장리더십 교육 횟수", None, "course:과장 리더십"),
    ("6급 승진자 과정", None, "course:6급 승진자"),
    ("창의행정 리더십 과정 인원", None, "course:4·5급 관리자 창의행정 리더십 교육"),
    ("1회 시험 선발인원", None, "exam:제1회 신규공무원 임용시험"),
    ("일반 임기제 채용", None, "career_hiring:일반임기제"),
    ("전문경력관 채용 인원", None, "career_hiring:전문경력관 및 의무직|career_hiring:전문경력관 및 의무직 등 기타 경력경쟁임용시험 추진"),
    ("5급 승진 역량평가 인원", None, "assessment:5급 역량평가"),
    ("창의관 면적", None, "facility:창의관"),
    ("대지 면적", None, "facility:대지면적|facility:부지"),
    ("카메라 몇 대", None, "equipment:카메라"),
    ("MOU 체결 현황", None, "audit_table:MOU 체결 현황"),
    ("이러닝 자격증 과정 수강인원", None, "elearning_category:e-러닝 개인학습 자격증"),
    ("집합교육 인문소양 실적", None, "training_category:집합 기본역량 인문소양"),
    ("u-지식여행", None, "elearning_category:u-지식여행|training_category:u-지식여행 교육"),
    ("경력직 공무원 선발", None, "program:다양한 직무분야에 적합한 경력직공무원 선발"),
    ("신규공무원 채용", None, "program:미래 서울을 이끌어 갈 우수한 신규공무원 채용"),
    ("교육 장비 교체 사업", None, "program:노후 교육장비 교체 등을 통한 교육 활동 지원"),
    ("인재양성과 업무", None, "department:인재양성과"),
    ("세출 예산", None, "revenue:세출예산"),
    # third batch, written before it was first run: fused 42/44, BM25 37/44, e5 41/44 then; it led to noun
    # prefixes ('비대면'), names written out whole ('본교육') and whole names first in mentions
    ("신입자교육 사전교육 인원은", None, "cohort:사전교육|course:사전교육"),
    ("신규자 본교육 수료", None, "cohort:본교육|course:본교육"),
    ("리더십 교육과정운영비", None, "budget_line:리더십교육과정운영|execution:리더십 교육과정 운영"),
    ("재직자 과정의 예산 증감", None, "budget_line:재직자교육과정운영|execution:재직자 교육과정 운영"),
    ("IT교육 예산이", None, IT_LINE),
    ("퇴직후 인생설계교육 집행", None, "budget_line:퇴직후인생설계교육|execution:퇴직 후 인생설계 교육"),
    ("이러닝 과정 개발 예산은", None, "budget_line:동영상학습(e-러닝)과정개발|execution:동영상학습 (e-러닝) 과정 개발"),
    ("교육과정 개발 및 훈련계획 수립 예산", None, "budget_line:교육과정개발 및 교육훈련계획 수립"),
    ("HRD역량강화프로그램", None, "budget_line:인적자원개발(HRD) 역량강화프로그램 운영"),
    ("급식비", None, "budget_line:교육생급식지원"),
    ("청사 보수 보강 공사", None, "budget_line:인재원청사보수·보강|execution:인재원청사 보수·보강"),
    ("공무원 채용 시험 관리비", None, EXAM_LINE),
    ("역량평가 예산 집행률", None, "budget_line:역량평가 및 이해과정운영|execution:역량평가 및 이해과정 운영"),
    ("4급 역량평가 실시 인원", None, "assessment:4급 역량평가"),
    ("5급 이해과정 교육 인원", None, "assessment:5급 이해과정"),
    ("1회차 임용시험 접수인원", None, "exam:제1회 신규공무원 임용시험"),
    ("제2회 시험 응시율은", None, "exam:제2회 신규공무원 임용시험"),
    ("임기제 채용 인원", None, "career_hiring:일반임기제 및 시간선택제임기제 경력경쟁임용시험 추진|career_hiring:일반임기제|career_hiring:제9회 임기제"),
    ("의무직 채용", None, "career_hiring:전문경력관 및 의무직|career_hiring:전문경력관 및 의무직 등 기타 경력경쟁임용시험 추진"),
    ("어린이집 건물 면적", None, "facility:어린이집"),
    ("건물 연면적", None, "facility:건물연면적|facility:건물"),
    ("앰프 몇 개", None, "equipment:앰프"),
    ("전자 교탁", None, "equipment:전자교탁"),
    ("마이크 내구연한", None, "equipment:마이크"),
    ("교육훈련심의위원회 외부위원 건의", None, "audit_item:교육훈련심의위원회는 15인 이내로 구성할 수 있는데 반해, 현재 위원회는 10인으로 구성되어 있으므로 외부위원을 추가 위촉하여 외부의 다양한 의견을 반영할 필요가 있음."),
    ("중도 퇴교자 관리 요구", None, "audit_item:중도 퇴교자의 퇴교사유 발생 원인을 분석하여 문제를 사전에 방지할 수 있는 입교자에 대한 세밀한 관리가 필요함."),
    ("유럽 분원 설립", None, "audit_item:도시외교 활성화 차원에서 유럽도시와의 공식사회 교류 강화를 위해 메트로폴리스 국제연수원 유럽 지역 분원 설립에 구체적 기획안 수립 요청."),
    ("미네소타 프로젝트", None, "audit_item:미국의 미네소타 프로젝트에 착안한 ‘서울형 미네소타 프로젝트’ 구상으로 글로벌 인재 양성 추진에 앞장설 것."),
    ("장학재단 협업", None, "audit_item:글로벌 융합인재 양성이란 하나의 비전을 달성하기 위해 인재개발원과 장학재단이 함께 협업해 줄 것."),
    ("온라인 연수 수수료", None, "audit_item:외국도시 공무원 국제연수의 경우 온라인 연수 수수료가 오프라인 연수 수수료보다|audit_table:2025 외국도시 공무원 온라인 연수 운영 현황"),
    ("만족도 및 현업적용도 추이", None, "audit_table:최근 4년간 만족도 및 현업적용도 추이"),
    ("이러닝 인문소양 수강인원", None, "elearning_category:e-러닝 기본 인문소양"),
    ("e-러닝 리더십 직급 분야 수강", None, "elearning_category:e-러닝 리더십 직급"),
    ("집합교육 실무관 과정 인원", None, "training_category:집합 공공역량 실무관"),
    ("집합 핵심가치 교육 만족도", None, "training_category:집합 기본역량 핵심가치"),
    ("비대면 교육 규모", None, "training_overview:비대면 교육규모"),
    ("인재채용과 담당 업무", None, "department:인재채용과"),
    ("AI 교육 담당자", None, "contact:인공지능(AI) 교육 전면 확대 담당자"),
    ("국제연수원 정책공유 포럼", None, "program:메트로폴리스 국제연수원 정책공유 포럼 개최"),
    ("상시학습 활성화", None, "program:동영상학습(e-러닝)을 통한 상시학습 활성화"),
    ("쾌적한 교육환경 조성", None, "program:안전하고 쾌적한 교육 환경 조성"),
    ("임시적 세외수입", None, "revenue:임시적세외수입"),
    ("조직 및 정원 현황", None, "organization:조직 및 정원"),
    ("6급 성과 리더십", None, "course:6급 성과리더십"),
    # fifth batch, written after all the above and run once before any change: fused 21/25, BM25 19/25, e5 15/25.
    # Where a phrasing names a program by its title's words the program is accepted: its budget rows are
    # `catalog.inside(program, kinds=["execution"])`
    ("신규자과정 운영비 집행액", None, NEW),
    ("7-9급 신입 교육 인원", None, "program:7~9급 신입자 교육과정 운영"),
    ("미래인재 양성과정 교육인원", None, "program:6급 미래인재 양성과정 운영"),
    ("직무전문교육 예산", None, "program:시민체감형 정책을 위한 현장 중심 직무전문 교육 운영|budget_line:재직자교육과정운영|execution:재직자 교육과정 운영"),
    ("현장중심 직무전문교육 인원", None, "program:시민체감형 정책을 위한 현장 중심 직무전문 교육 운영"),
    ("인공지능 교육 확대", None, "program:인공지능(AI) 교육 전면 확대"),
    ("창의행정 교육 예산", None, "execution:시정철학 공유 특별교육|budget_line:시정철학공유특별교육|program:창의행정 교육과정 운영"),
    ("차세대 교육시스템 구축", None, "program:차세대 교육통합시스템 1단계 구축"),
    ("교육장비 교체", None, "program:노후 교육장비 교체 등을 통한 교육 활동 지원|budget_line:교육훈련장비확충|execution:교육훈련 장비 확충"),
    ("인재원 청사 보수", None, "budget_line:인재원청사보수·보강|execution:인재원청사 보수·보강"),
    ("임용시험 관리 예산", None, "execution:공무원채용 및 기타시험관리 (임기제 등)|" + EXAM_LINE),
    ("경력채용 시험 예산", None, "execution:공무원채용 및 기타시험관리 (임기제 등)|" + EXAM_LINE),
    ("승진 역량평가 예산", None, "budget_line:역량평가 및 이해과정운영|execution:역량평가 및 이해과정 운영"),
    ("기본경비 인재개발원", None, "budget_line:기본경비(인재개발원)"),
    ("세입 예산", None, "revenue:세입예산"),
    ("다솜관 면적", None, "facility:다솜관"),
    ("스피커 수량", None, "equipment:스피커"),
    ("5급 승진 리더 과정", None, "course:5급 승진리더"),
    ("실무리더십 과정", None, "course:7급 이하 실무리더십"),
    ("50대 인생설계", None, "course:50대 인생 디자인"),
    ("성희롱 예방 교육 건의", None, "audit_item:현재 인재개발원은 성희롱 예방 교육은 강화되어 있으나 직장 내 괴롭힘 관련 교육은 부족함."),
    ("공직가치관 교육 필요", None, "audit_item:MZ세대 공무원들에게 공직자로서 소명의식을 함양할 수 있는 공직가치관 교육이 필요함."),
    ("AI 교육과정 재구조화", None, "audit_item:공무원의 AI기술 활용역량의 강화, 결과의 신뢰성 확보 및 정보보안 의식을 제고하기 위해 AI 교육과정 전반의 재구조화 검토가 필요함."),
    ("이러닝 핵심가치 수강인원", None, "elearning_category:e-러닝 기본 핵심가치"),
    ("집합교육 전문 과정 실적", None, "training_category:집합 직무역량 전문"),
    # sixth batch, written after all the above and run once: fused 24/25, BM25 21/25, e5 19/25; its miss is
    # KNOWN_MISSES' first row
    ("신입자과정 예산 증감률", None, NEW),
    ("리더십 교육 인원", None, "program:직급별 리더십 교육과정 운영"),
    ("IT 교육 인원", None, "program:미래역량 강화를 위한 정보통신(IT) 교육 운영"),
    ("정보통신교육 집행률", None, IT_LINE),
    ("퇴직자 교육 예산", None, "budget_line:퇴직후인생설계교육|execution:퇴직 후 인생설계 교육"),
    ("이러닝 예산 집행률", None, "budget_line:동영상학습(e-러닝)운영|execution:동영상학습(e-러닝) 운영 (e-러닝 운영)"),
    ("HRD 프로그램", None, "budget_line:인적자원개발(HRD) 역량강화프로그램 운영"),
    ("교육계획 수립 예산", None, "budget_line:교육과정개발 및 교육훈련계획 수립"),
    ("보육시설 예산", None, "budget_line:직장보육시설운영"),
    ("팀장 리더쉽", None, "course:팀장 리더십"),
    ("과장 리더십과정 인원", None, "course:과장 리더십"),
    ("공감마당 과정", None, "course:창의행정 공감마당"),
    ("정년퇴직 준비과정", None, "course:행복한 정년퇴직 준비"),
    ("이해과정 4급", None, "assessment:4급 이해과정"),
    ("2회 시험 필기 일정", None, "exam:제2회 신규공무원 임용시험"),
    ("임기제 9회", None, "career_hiring:제9회 임기제"),
    ("배움관 층수", None, "facility:배움관"),
    ("노트북 수량", None, "equipment:노트북"),
    ("MZ세대 공직가치관", None, "audit_item:MZ세대 공무원들에게 공직자로서 소명의식을 함양할 수 있는 공직가치관 교육이 필요함."),
    ("위탁 선발 비용", None, "audit_item:서울시는 현재 지방공무원법 제32조 규정에 따라 자치구 89급 공무원을 위탁 선발하고 있으며, 이에 따른 위탁 비용을 자치구로부터 징수하지 않고 서울시가 전액 부담하고 있음."),
    ("학업성취도 평가방식 변경", None, "audit_item:6급 미래인재 양성과정의 2023년부터 학업성취도 평가방식이 변경된 사유 와 내용에 대해 자료를 제출할 것."),
    ("이러닝 직무 공통 수강", None, "elearning_category:e-러닝 직무 공통"),
    ("집합 리더십 역량 과정 실적", None, "training_category:집합 리더십역량 역량"),
    ("인재기획과 업무", None, "department:인재기획과"),
]

# phrasings the catalog still gets wrong (xfail): the words fit another row as well or better
KNOWN_MISSES = [
    # '신규공무원' is written out in the hiring program's title; only '교육' points at the training program
    ("신규공무원 교육 인원", None, "program:7~9급 신입자 교육과정 운영"),
]

# (question, the entities it names, left to right)
MENTIONS = [
    ("신규자과정과 IT전문교육 예산 합계", [NEW, IT_LINE]),
    ("배움관과 다솜관 면적 합은?", ["facility:배움관", "facility:다솜관"]),
    ("리더십교육과정운영과 재직자교육과정운영 집행률 비교",
     ["budget_line:리더십교육과정운영|execution:리더십 교육과정 운영", "budget_line:재직자교육과정운영|execution:재직자 교육과정 운영"]),
    ("이러닝 IT와 집합교육 IT 인원 차이",
     ["elearning_category:e-러닝 직무 IT|training_category:e-러닝 직무역량 IT", "training_category:집합 직무역량 IT"]),
    ("신입자 과정 교육인원은?", ["program:7~9급 신입자 교육과정 운영"]),
    ("채용시험관리 집행률", [EXAM_LINE]),
    ("교육통합시스템 구축 사업비는", [SYSTEM]),
    ("리더십교육과정 예산과 신규자과정 예산을 비교해줘", ["budget_line:리더십교육과정운영|execution:리더십 교육과정 운영", "budget_line:신규자과정운영|execution:신입자 과정 운영"]),
    ("창의관과 배움관 중 어디가 더 넓어?", ["facility:창의관", "facility:배움관"]),
    ("1회 시험과 2회 시험 경쟁률 차이", ["exam:제1회 신규공무원 임용시험", "exam:제2회 신규공무원 임용시험"]),
    ("IT전문교육운영 집행률", ["budget_line:IT전문교육운영|execution:IT전문교육 운영"]),
    ("프로젝터랑 노트북 수량", ["equipment:프로젝터", "equipment:노트북"]),
    ("신규자과정운영과 6급미래인재양성과정운영 예산 합계", [NEW, "budget_line:6급미래인재양성과정운영|execution:6급미래인재 양성과정"]),
    ("앰프와 스피커 보유 수량", ["equipment:앰프", "equipment:스피커"]),
    ("4급 역량평가와 5급 역량평가 인원", ["assessment:4급 역량평가", "assessment:5급 역량평가"]),
    ("배움관, 다솜관, 창의관 면적", ["facility:배움관", "facility:다솜관", "facility:창의관"]),
    # whole questions, written before they were first run (18/21 then): they led to numbers kept on their
    # counter ('2회'), short names' numbers counted, generic '추진·사항', and sections cued by the rows they hold
    ("신입자 과정 운영 예산 집행률은 얼마인가요?", [NEW]),
    ("신규자과정 예산이 작년 대비 몇 퍼센트나 줄어든 거죠?", [NEW]),
    ("IT 교육 집행률은?", [IT_LINE + "|program:미래역량 강화를 위한 정보통신(IT) 교육 운영"]),
    ("이러닝 만족도는?", ["training_category:e-러닝 교육"]),
    ("리더십교육과정운영 예산은?", ["budget_line:리더십교육과정운영|execution:리더십 교육과정 운영"]),
    ("2회 경쟁률은?", ["exam:제2회 신규공무원 임용시험"]),
    ("어린이집 운영 대안은 뭐야?", ["facility:어린이집|budget_line:직장보육시설운영"]),
    ("행정사무감사 건의사항 중 추진 중인 것은?", ["section:행정사무감사 처리결과", "section:건의사항"]),
    ("7~9급 신입자 교육의 사전교육 수료 인원은?", ["program:7~9급 신입자 교육과정 운영", "cohort:사전교육|course:사전교육"]),
    ("팀장 리더십 과정은 몇 명이 들었어?", ["course:팀장 리더십"]),
    ("배움관은 몇 층이야?", ["facility:배움관"]),
    ("e-러닝 과정개발 예산과 운영 예산을 합치면?", ["budget_line:동영상학습(e-러닝)과정개발|execution:동영상학습 (e-러닝) 과정 개발"]),
    ("4급 역량평가는 몇 명이 받았나요?", ["assessment:4급 역량평가"]),
    ("경력직 채용에서 중증장애인은 몇 명?", ["career_hiring:경력직 채용 합계|program:다양한 직무분야에 적합한 경력직공무원 선발", "career_hiring:중증장애인"]),
    ("퇴직 예정 공무원 교육 예산 집행률", ["budget_line:퇴직후인생설계교육|execution:퇴직 후 인생설계 교육|program:퇴직 예정 공무원 미래설계 지원 교육과정 운영"]),
    ("국제연수 실적은?", ["program:외국도시 공무원 대상 국제연수 운영|international:2025년 국제연수 실적"]),
    ("HRD 역량강화 프로그램 예산이 얼마야?", ["budget_line:인적자원개발(HRD) 역량강화프로그램 운영"]),
    ("교육생 급식 지원에 얼마 썼어?", ["budget_line:교육생급식지원"]),
    ("인재원 청사 유지관리 예산 증감은?", ["budget_line:인재원청사유지관리"]),
    ("올해 집합교육은 몇 개 과정이야?", ["training_category:집합 교육|training_overview:집합교육 교육규모"]),
    ("AI 교육 전면 확대 추진실적 알려줘", ["program:인공지능(AI) 교육 전면 확대"]),
    # a common word of a longer name does not name it ('인재' is not '인재양성과'); a title's head phrase does
    ("서울시 인재개발원 정원은?", ["organization:조직 및 정원"]),
    ("신규 채용 인원은?", ["program:미래 서울을 이끌어 갈 우수한 신규공무원 채용"]),
    ("신입자 과정과 리더십 과정 예산 비교", [NEW, "budget_line:리더십교육과정운영|execution:리더십 교육과정 운영"]),
    ("카메라와 마이크 내구연한 경과 수량", ["equipment:카메라", "equipment:마이크"]),
    ("1회 시험 경쟁률은 2회보다 높아?", ["exam:제1회 신규공무원 임용시험", "exam:제2회 신규공무원 임용시험"]),
    ("교육통합시스템 예산 집행률이 낮은 이유는?", ["program:차세대 교육통합시스템 1단계 구축|execution:동영상학습 운영 (교육통합시스템 구축)"]),
    ("시간선택제 채용 인원은?", ["career_hiring:시간선택제"]),
    ("이러닝 외국어 과정 수강인원과 자격증 과정 수강인원", ["elearning_category:e-러닝 개인학습 외국어", "elearning_category:e-러닝 개인학습 자격증"]),
    ("IT전문교육과 리더십교육과정 집행률 중 어느 쪽이 높아?", [IT_LINE, "budget_line:리더십교육과정운영|execution:리더십 교육과정 운영"]),
    ("배움관 면적은 다솜관의 몇 배야?", ["facility:배움관", "facility:다솜관"]),
    ("건의 3번과 건의 5번 추진상황", ["audit_item:타 시도 교육기관들과 교육생 교류, 우수강사풀 공유 등 교육목적 달성을 위한 협력을 위해 교류협력 상호 협약을 체결하여 공무원 교육의 발전에 기여하고, 새로운 학습의 장을 마련할 필요가 있음.", "audit_item:도시외교 활성화 차원에서 유럽도시와의 공식사회 교류 강화를 위해 메트로폴리스 국제연수원 유럽 지역 분원 설립에 구체적 기획안 수립 요청."]),
    ("본교육과 사전교육 수료 인원 합계", ["cohort:본교육|course:본교육", "cohort:사전교육|course:사전교육"]),
    ("교육생급식지원 예산은 얼마?", ["budget_line:교육생급식지원"]),
    ("노트북 내구연한 지난 게 몇 대야?", ["equipment:노트북"]),
]

# questions that name no entity
NAMES_NOTHING = [
    "예산이 제일 큰 사업은?",
    "오늘 날씨 어때?",
    "집행률이 가장 낮은 사업은?",
    "전년 대비 증감액이 가장 큰 것은?",
    "교육 인원이 제일 많은 과정은?",
    "합계는 얼마야?",
    "몇 명이 수료했나요?",
    "점심 메뉴 추천해 줘",
    "안녕하세요",
    "가장 많이 늘어난 예산은?", "작년보다 줄어든 항목 알려줘", "평균 만족도는?", "서울시 인구는?", "집행률 90% 넘는 사업 몇 개야?", "고마워요",
    "작년에 비해 가장 많이 줄어든 사업은 뭐야?", "집행률이 50% 미만인 사업 알려줘", "이 보고서는 언제 작성됐어?", "교육 과정이 모두 몇 개야?",
    "가장 잘한 사업은 뭐야?", "예산 집행이 부진한 이유는?", "내년 계획은?", "총 몇 명이 교육받았어?",
    "다음 달 일정 알려줘", "집행 실적이 저조한 이유", "예산 대비 집행액 비율 순위", "누가 제일 잘했어?",
    "예산 집행률 평균은?", "올해 가장 적게 쓴 곳은?", "증감률 높은 순으로 보여줘", "뭐 하는 곳이야?",
]

# (phrasing, a row that must not come first: the broader or sibling row a loose match would pick)
NOT_FIRST = [
    ("채용시험관리", "budget_line:인재양성 및 시험관리"),
    ("교육통합시스템", "budget_line:동영상학습(e-러닝)운영"),
    ("신입자 과정 교육인원", "budget_line:신규자과정운영"),
    ("이러닝 IT 수강인원", "training_category:집합 직무역량 IT"),
    ("집합교육 IT 참여율", "elearning_category:e-러닝 직무 IT"),
    ("IT 교육", "training_category:집합 직무역량 IT"),
    ("팀장리더십 과정 인원", "program:직급별 리더십 교육과정 운영"),
    ("2회 임용시험 경쟁률", "exam:제1회 신규공무원 임용시험"),
]


def label(hit) -> str:
    return f"{hit.entity.kind}:{hit.entity.name}"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, pytestconfig) -> ToolContext:
    """One ingested database (tables only) for the module; e5 vectors of names shared across runs."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HRD_HOME", str(tmp_path_factory.mktemp("hrd-catalog")))
    if not os.environ.get("HRD_EMBED_CACHE"):
        mp.setenv("HRD_EMBED_CACHE", str(pytestconfig.cache.mkdir("hrd-embeddings") / "embeddings.sqlite3"))
    get_settings.cache_clear()
    ingest(None, get_settings(), with_index=False)
    yield ToolContext(get_settings())
    mp.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def catalog(ctx) -> Catalog:
    return catalog_for(ctx)


@pytest.mark.parametrize("text, kinds, expected", SEARCH + [pytest.param(*m, marks=pytest.mark.xfail(reason="known miss")) for m in KNOWN_MISSES],
                         ids=[s[0] for s in SEARCH + KNOWN_MISSES])
def test_a_loose_name_finds_its_row_first(catalog, text, kinds, expected):
    hits = catalog.search(text, kinds=kinds, k=3)
    assert hits and label(hits[0]) in expected.split("|"), [label(h) for h in hits]


@pytest.mark.parametrize("question, expected", MENTIONS, ids=[m[0] for m in MENTIONS])
def test_a_question_names_its_entities_in_order(catalog, question, expected):
    found = catalog.mentions(question)
    assert len(found) == len(expected), [label(h) for h in found]
    for hit, want in zip(found, expected):
        assert label(hit) in want.split("|"), [label(h) for h in found]
        assert hit.text and question[hit.span[0]:hit.span[1]] == hit.text


@pytest.mark.parametrize("question", NAMES_NOTHING)
def test_a_question_naming_nothing_finds_nothing(catalog, question):
    assert catalog.mentions(question) == [], [label(h) for h in catalog.mentions(question)]


@pytest.mark.parametrize("text, wrong", NOT_FIRST, ids=[n[0] for n in NOT_FIRST])
def test_a_broader_or_sibling_row_does_not_come_first(catalog, text, wrong):
    assert top(catalog, text) not in ("", wrong)


def top(catalog, text, kinds=None, mode="fused") -> str:
    hits = catalog.search(text, kinds=kinds, k=1, mode=mode)
    return label(hits[0]) if hits else ""


def test_fusion_is_at_least_as_accurate_as_either_side(catalog):
    acc = {mode: sum(top(catalog, t, k, mode) in e.split("|") for t, k, e in SEARCH) / len(SEARCH) for mode in ("bm25", "dense", "fused")}
    assert acc["fused"] >= max(acc["bm25"], acc["dense"]), acc


def test_entities_carry_rows_lines_sections_and_parents(catalog):
    course = catalog.get("course", "팀장 리더십")
    assert course and course.table == "courses" and course.row_ids and course.parent == "직급별 리더십 교육과정 운영"
    assert course.lines[0] <= course.lines[1] and "직급별 리더십 교육과정 운영" in course.section
    line = catalog.get("budget_line", "신규자과정운영")
    assert line and line.table == "budget_lines" and line.parent == "인재양성 및 시험관리"
    program = catalog.get("program", "7~9급 신입자 교육과정 운영")
    assert program and program.parent == "체계적인 교육으로 필수역량 함양"
    execution = catalog.get("execution", "신입자 과정 운영")
    assert execution and execution.parent == "신규자과정운영" and "7~9급 신입자 교육과정 운영" in execution.section


def test_kinds_restrict_the_search(catalog):
    hits = catalog.search("신규자과정", kinds=["program", "cohort"], k=5)
    assert hits and {h.entity.kind for h in hits} <= {"program", "cohort"}


def test_the_catalog_is_built_once_per_report(catalog, ctx):
    assert catalog_for(ctx) is catalog
    fresh = build_catalog(ctx)
    assert fresh is not catalog and len(fresh) == len(catalog) and fresh.report_hash == ctx.report.content_hash


def test_without_e5_the_catalog_answers_from_bm25(catalog):
    bare = Catalog(catalog.entities, catalog.report_hash, vectors=None)
    assert bare.warning and bare.search("채용시험관리", mode="dense")  # dense asked, BM25 given
    assert label(bare.search("채용시험관리 예산", kinds=["budget_line"])[0]) == "budget_line:공무원채용 및 기타 시험관리"
    assert [label(h) for h in bare.mentions("배움관과 다솜관 면적 합은?")] == ["facility:배움관", "facility:다솜관"]
    assert bare.mentions("예산이 제일 큰 사업은?") == []


def test_an_empty_catalog_finds_nothing():
    empty = Catalog([], "", vectors=None)
    assert empty.search("신규자과정") == [] and empty.mentions("신규자과정 예산") == []


def test_a_program_lists_the_rows_within_its_lines(catalog):
    program = catalog.get("program", "노후 교육장비 교체 등을 통한 교육 활동 지원")
    assert [e.name for e in catalog.inside(program, kinds=["execution"])] == ["교육훈련 장비 확충"]
    assert {e.kind for e in catalog.inside(program)} >= {"execution", "contact", "equipment"}


def test_a_contact_comes_only_when_asked_for(catalog):
    assert all(h.entity.kind != "contact" for h in catalog.search("노후 교육장비 교체", k=5))
    assert catalog.search("노후 교육장비 교체 담당자", k=1)[0].entity.kind == "contact"
    assert [label(h) for h in catalog.mentions("신입자 교육 담당자 연락처는?")] == ["contact:7~9급 신입자 교육과정 운영 담당자"]
    assert all(h.entity.kind != "contact" for h in catalog.mentions("신입자 교육 인원은?"))
